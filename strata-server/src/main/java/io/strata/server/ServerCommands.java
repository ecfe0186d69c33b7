package io.strata.server;

import static io.strata.server.CommandTable.Keys.NONE;

import io.strata.Statistics;
import io.strata.StrataIterator;
import io.strata.server.acl.AclCategory;
import io.strata.server.pubsub.Kind;
import io.strata.server.resp.RespWriter;
import io.strata.server.store.Keyspace;
import io.strata.server.store.ValueCodec;
import io.strata.server.store.Writes;
import io.strata.server.util.Glob;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** COMMAND, CONFIG, INFO, DBSIZE, FLUSHDB/FLUSHALL, SAVE/BGSAVE/LASTSAVE, SHUTDOWN, TIME. */
final class ServerCommands {
    private ServerCommands() {}

    /** SHUTDOWN runs in any state: while loading, when stale, when busy. */
    /** The flags of the subcommands of CONFIG, CLIENT and ACL that only administrators run (Redis's). */
    static final String ADMIN_SUBCOMMAND = "admin noscript loading stale";

    private static final String SHUTDOWN_FLAGS = "admin noscript loading stale no_multi allow_busy";

    static void register(CommandTable t) {
        CommandTable.Group server = t.group("server");
        server.add("command", -1, "loading stale", NONE, "2.8.13", ServerCommands::command)
                .categories("connection")
                .sub("count", 2, "loading stale", NONE, "connection")
                .sub("docs", -2, "loading stale", NONE, "connection")
                .sub("info", -2, "loading stale", NONE, "connection")
                .sub("list", -2, "loading stale", NONE, "connection")
                .sub("help", 2, "loading stale", NONE, "connection")
                .doc("Returns detailed information about all commands.");
        server.add("config", -2, "", NONE, "2.0.0", ServerCommands::config)
                .sub("get", -3, ADMIN_SUBCOMMAND, NONE, "")
                .sub("set", -4, ADMIN_SUBCOMMAND, NONE, "")
                .sub("resetstat", 2, ADMIN_SUBCOMMAND, NONE, "")
                .sub("rewrite", 2, ADMIN_SUBCOMMAND, NONE, "")
                .sub("help", 2, "loading stale", NONE, "")
                .doc("A container for server configuration commands.");
        server.add("info", -1, "loading stale", NONE, "1.0.0", ServerCommands::info)
                .categories("dangerous")
                .doc("Returns information and statistics about the server.");
        server.add("dbsize", 1, "readonly", NONE, "1.0.0", ServerCommands::dbsize)
                .categories("keyspace")
                .doc("Returns the number of keys in the database (an exact count: a scan of every key).");
        server.add("flushdb", -1, "write", NONE, "1.0.0", r -> flush(r, "flushdb"))
                .categories("keyspace dangerous")
                .doc("Removes all keys from the current database.");
        server.add("flushall", -1, "write", NONE, "1.0.0", r -> flush(r, "flushall"))
                .categories("keyspace dangerous")
                .doc("Removes all keys from all databases.");
        server.add("save", 1, "admin noscript no_async_loading no_multi", NONE, "1.0.0", ServerCommands::save)
                .doc("Writes every memtable to SSTables (engine flush).");
        server.add("bgsave", -1, "admin noscript no_async_loading", NONE, "1.0.0", ServerCommands::bgsave)
                .doc("Writes every memtable to SSTables in the background.");
        server.add("lastsave", 1, "loading stale fast", NONE, "1.0.0", ServerCommands::lastsave)
                .categories("admin dangerous")
                .doc("Returns the Unix timestamp of the last successful save.");
        server.add("shutdown", -1, SHUTDOWN_FLAGS, NONE, "1.0.0", ServerCommands::shutdown)
                .doc("Stops the server: stops accepting, finishes in-flight commands, closes the engine.");
        server.add("time", 1, "loading stale fast", NONE, "2.6.0", ServerCommands::time)
                .doc("Returns the server time.");
    }

    // ---- COMMAND ----

    static void command(Request r) {
        CommandTable table = r.server.commands();
        if (r.argc() == 1) {
            r.out.array(table.size());
            for (CommandSpec c : table.all()) {
                commandInfo(r.out, c);
            }
            return;
        }
        String sub = r.str(1).toLowerCase(Locale.ROOT);
        switch (sub) {
            case "count" -> {
                ConnectionCommands.arity(r, 2, "command|count");
                r.out.integer(table.size());
            }
            case "info" -> {
                if (r.argc() == 2) {
                    r.out.array(table.size());
                    table.all().forEach(c -> commandInfo(r.out, c));
                    return;
                }
                r.out.array(r.argc() - 2);
                for (int i = 2; i < r.argc(); i++) {
                    CommandSpec c = table.get(r.str(i).toLowerCase(Locale.ROOT));
                    if (c == null) {
                        r.out.nullArray();
                    } else {
                        commandInfo(r.out, c);
                    }
                }
            }
            case "docs" -> {
                List<CommandSpec> docs = new ArrayList<>();
                if (r.argc() == 2) {
                    docs.addAll(table.all());
                } else {
                    for (int i = 2; i < r.argc(); i++) {
                        CommandSpec c = table.get(r.str(i).toLowerCase(Locale.ROOT));
                        if (c != null) {
                            docs.add(c);
                        }
                    }
                }
                r.out.map(docs.size());
                for (CommandSpec c : docs) {
                    r.out.bulk(c.name());
                    r.out.map(4);
                    r.out.bulk("summary");
                    r.out.bulk(c.summary());
                    r.out.bulk("since");
                    r.out.bulk(c.since());
                    r.out.bulk("group");
                    r.out.bulk(c.group());
                    r.out.bulk("complexity");
                    r.out.bulk(c.flags().contains("fast") ? "O(1)" : "O(N)");
                }
            }
            case "list" -> {
                r.out.array(table.size());
                table.all().forEach(c -> r.out.bulk(c.name()));
            }
            case "help" ->
                ConnectionCommands.help(
                        r.out,
                        "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                        "(no subcommand)",
                        "    Return details about all commands.",
                        "COUNT",
                        "    Return the total number of commands in this server.",
                        "LIST",
                        "    Return a list of all commands in this server.",
                        "INFO [<command-name> ...]",
                        "    Return details about the named commands.",
                        "DOCS [<command-name> ...]",
                        "    Return documentation details about the named commands.",
                        "HELP",
                        "    Print this help.");
            default -> throw CommandError.unknownSubcommand(r.str(1), "command");
        }
    }

    /** The 10-element reply of COMMAND INFO for one command (Redis 7's layout), its subcommands' nested. */
    private static void commandInfo(RespWriter out, CommandSpec c) {
        out.array(10);
        out.bulk(c.name());
        out.integer(c.arity());
        out.set(c.flags().size());
        for (String f : c.flags()) {
            out.simple(f);
        }
        out.integer(c.keys().first);
        out.integer(c.keys().last);
        out.integer(c.keys().step);
        out.set(c.acl().categories().size());
        for (AclCategory cat : c.acl().categories()) {
            out.simple("@" + cat.ruleName());
        }
        out.set(0); // tips
        out.array(0); // key specifications
        out.array(c.subcommands().size());
        c.subcommands().values().forEach(sub -> commandInfo(out, sub));
    }

    // ---- CONFIG ----

    /**
     * A CONFIG parameter: how to read it and, if CONFIG SET may change it, how to set it. A
     * protected one (Redis 7's PROTECTED_CONFIG: it names files on disk, so a client that may
     * set it could make the server read or write where it chooses) is refused by CONFIG SET
     * unless the server runs with --enable-protected-configs yes.
     */
    private record Param(
            java.util.function.Function<StrataServer, String> get,
            java.util.function.BiConsumer<StrataServer, String> set,
            boolean isProtected) {
        Param(
                java.util.function.Function<StrataServer, String> get,
                java.util.function.BiConsumer<StrataServer, String> set) {
            this(get, set, false);
        }

        /** A parameter naming a file or directory. */
        static Param path(
                java.util.function.Function<StrataServer, String> get,
                java.util.function.BiConsumer<StrataServer, String> set) {
            return new Param(get, set, true);
        }
    }

    private static final Map<String, Param> PARAMS = new LinkedHashMap<>();

    static {
        PARAMS.put("bind", new Param(s -> s.config().bind(), null));
        PARAMS.put("port", new Param(s -> Integer.toString(s.port()), null));
        PARAMS.put("dir", Param.path(s -> s.config().dir().toAbsolutePath().toString(), null));
        PARAMS.put(
                "checkpoint-dir",
                Param.path(
                        s -> s.config().checkpointDir().toAbsolutePath().toString(),
                        (s, v) -> s.config().checkpointDir(toPath(v))));
        PARAMS.put("aclfile", Param.path(s -> nonNull(s.config().aclFile()), null));
        PARAMS.put("enable-protected-configs", new Param(s -> yesNo(s.config().enableProtectedConfigs()), null));
        PARAMS.put("databases", new Param(s -> "1", null));
        PARAMS.put("requirepass", new Param(s -> nonNull(s.config().requirePass()), (s, v) -> {
            s.config().requirePass(v);
            s.acl().requirePass(v);
        }));
        PARAMS.put(
                "protected-mode",
                new Param(
                        s -> yesNo(s.config().protectedMode()),
                        (s, v) -> s.config().protectedMode(toBool(v))));
        PARAMS.put(
                "maxclients",
                new Param(
                        s -> Integer.toString(s.config().maxClients()),
                        (s, v) -> s.config().maxClients(toInt(v))));
        PARAMS.put(
                "timeout",
                new Param(
                        s -> Long.toString(s.config().timeoutSeconds()),
                        (s, v) -> s.config().timeoutSeconds(toLong(v))));
        for (String name : List.of("busy-reply-threshold", "lua-time-limit")) {
            PARAMS.put(
                    name,
                    new Param(
                            s -> Long.toString(s.config().busyReplyThresholdMillis()),
                            (s, v) -> s.config().busyReplyThresholdMillis(toLong(v))));
        }
        PARAMS.put(
                "proto-max-bulk-len",
                new Param(
                        s -> Long.toString(s.config().protoMaxBulkLen()),
                        (s, v) -> s.config().protoMaxBulkLen(toMemory(v))));
        PARAMS.put(
                "client-query-buffer-limit",
                new Param(
                        s -> Long.toString(s.config().clientQueryBufferLimit()),
                        (s, v) -> s.config().clientQueryBufferLimit(toMemory(v))));
        PARAMS.put(
                "client-output-buffer-limit",
                new Param(
                        s -> s.config().outputBufferLimits().describe(),
                        (s, v) -> s.config().clientOutputBufferLimit(v)));
        PARAMS.put(
                "notify-keyspace-events",
                new Param(
                        s -> s.config().notifyKeyspaceEvents().describe(),
                        (s, v) -> s.config().notifyKeyspaceEvents(v)));
        PARAMS.put(
                "acl-pubsub-default",
                new Param(
                        s -> s.acl().newUsersGetAllChannels() ? "allchannels" : "resetchannels",
                        (s, v) -> s.acl().newUsersGetAllChannels(aclPubsubDefault(v))));
        PARAMS.put(
                "strata-proto-max-multibulk-len",
                new Param(
                        s -> Long.toString(s.config().protoMaxMultibulkLen()),
                        (s, v) -> s.config().protoMaxMultibulkLen(toLong(v))));
        PARAMS.put(
                "strata-keys-limit",
                new Param(
                        s -> Long.toString(s.config().keysLimit()),
                        (s, v) -> s.config().keysLimit(toLong(v))));
        // Every acknowledged write is already in the WAL: snapshots are not needed for
        // durability, so "save" is accepted and remembered but has no effect.
        PARAMS.put("save", new Param(StrataServer::saveParam, StrataServer::saveParam));
        PARAMS.put("appendonly", new Param(s -> "yes", null));
        PARAMS.put("appendfsync", new Param(s -> s.config().sync() ? "always" : "no", null));
        PARAMS.put("maxmemory", new Param(s -> "0", null));
        PARAMS.put("maxmemory-policy", new Param(s -> "noeviction", null));
        PARAMS.put("io-threads", new Param(s -> Integer.toString(s.config().ioThreads()), null));
        PARAMS.put(
                "strata-worker-threads",
                new Param(s -> Integer.toString(s.config().workerThreads()), null));
        PARAMS.put(
                "strata-write-filters",
                new Param(s -> String.join(" ", s.keyspace().filters().names()), null));
        PARAMS.put(
                "strata-metrics-port",
                new Param(s -> Integer.toString(s.metrics().port()), null));
        PARAMS.put(
                "strata-write-buffer-size",
                new Param(s -> Long.toString(s.config().writeBufferSize()), null));
    }

    /** acl-pubsub-default: true for allchannels. */
    static boolean aclPubsubDefault(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "allchannels" -> true;
            case "resetchannels" -> false;
            default ->
                throw new IllegalArgumentException(
                        "argument(s) must be one of the following: allchannels, " + "resetchannels");
        };
    }

    private static String nonNull(Object s) {
        return s == null ? "" : s.toString();
    }

    static java.nio.file.Path toPath(String v) {
        if (v.isEmpty()) {
            throw new IllegalArgumentException("argument must be a path");
        }
        try {
            return java.nio.file.Path.of(v);
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException("argument must be a path: " + e.getMessage(), e);
        }
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    static boolean toBool(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "yes" -> true;
            case "no" -> false;
            default -> throw new IllegalArgumentException("argument must be 'yes' or 'no'");
        };
    }

    private static int toInt(String v) {
        long l = toLong(v);
        if (l > Integer.MAX_VALUE || l < Integer.MIN_VALUE) {
            throw new IllegalArgumentException(
                    "argument must be between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE);
        }
        return (int) l;
    }

    private static long toLong(String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("argument couldn't be parsed into an integer");
        }
    }

    /** A size with Redis's units: b, k, kb, m, mb, g, gb (case-insensitive). */
    static long toMemory(String v) {
        String s = v.toLowerCase(Locale.ROOT);
        long mul = 1;
        String[][] units = {
            {"kb", "1024"},
            {"mb", "1048576"},
            {"gb", "1073741824"},
            {"k", "1000"},
            {"m", "1000000"},
            {"g", "1000000000"},
            {"b", "1"}
        };
        for (String[] u : units) {
            if (s.endsWith(u[0])) {
                mul = Long.parseLong(u[1]);
                s = s.substring(0, s.length() - u[0].length());
                break;
            }
        }
        try {
            return Math.multiplyExact(Long.parseLong(s), mul);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("argument must be a memory value");
        }
    }

    private static CommandError setFailed(String name, String why) {
        return new CommandError("ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + why);
    }

    /**
     * A tls-* parameter CONFIG SET may change: not tls-port, only with a TLS listener, and a value
     * of the right kind (tried on a copy of the settings, so that the error names this parameter).
     */
    private static void checkTls(StrataServer server, String name, String value) {
        TlsParams.Param p = TlsParams.PARAMS.get(name);
        if (p.set() == null) {
            throw setFailed(name, "can't set immutable config");
        }
        ReloadableTls tls = server.tls();
        if (tls == null) {
            throw setFailed(name, "the server has no TLS port (start it with --tls-port)");
        }
        try {
            p.set().accept(tls.current().settings().toBuilder(), value);
        } catch (IllegalArgumentException e) {
            throw setFailed(name, e.getMessage());
        }
    }

    /** Builds a TLS context with the changed settings; one that fails leaves the old in use (Redis's rollback). */
    private static void changeTls(StrataServer server, Map<String, String> changes) {
        try {
            server.tls().change(b -> {
                changes.forEach(
                        (name, value) -> TlsParams.PARAMS.get(name).set().accept(b, value));
                return b;
            });
        } catch (IllegalArgumentException e) {
            throw setFailed(
                    changes.keySet().iterator().next(), "Unable to update TLS configuration: " + e.getMessage());
        }
    }

    static void config(Request r) {
        String sub = r.str(1).toLowerCase(Locale.ROOT);
        switch (sub) {
            case "get" -> {
                if (r.argc() < 3) {
                    throw CommandError.arity("config|get");
                }
                Map<String, String> found = new LinkedHashMap<>();
                for (int i = 2; i < r.argc(); i++) {
                    byte[] pattern = r.argv[i];
                    for (Map.Entry<String, Param> e : PARAMS.entrySet()) {
                        if (Glob.matchesIgnoreCase(pattern, e.getKey().getBytes(StandardCharsets.UTF_8))) {
                            found.put(e.getKey(), e.getValue().get().apply(r.server));
                        }
                    }
                    for (Map.Entry<String, TlsParams.Param> e : TlsParams.PARAMS.entrySet()) {
                        if (Glob.matchesIgnoreCase(pattern, e.getKey().getBytes(StandardCharsets.UTF_8))) {
                            found.put(e.getKey(), e.getValue().get().apply(r.server));
                        }
                    }
                }
                r.out.map(found.size());
                found.forEach((k, v) -> {
                    r.out.bulk(k);
                    r.out.bulk(v);
                });
            }
            case "set" -> {
                if (r.argc() < 4 || r.argc() % 2 != 0) {
                    throw CommandError.arity("config|set");
                }
                Map<String, String> tls = new LinkedHashMap<>();
                for (int i = 2; i < r.argc(); i += 2) {
                    String name = r.str(i).toLowerCase(Locale.ROOT);
                    Param p = PARAMS.get(name);
                    if (p == null && TlsParams.PARAMS.containsKey(name)) {
                        checkTls(r.server, name, r.str(i + 1));
                        tls.put(name, r.str(i + 1));
                        continue;
                    }
                    if (p == null) {
                        throw new CommandError(
                                "ERR Unknown option or number of arguments for CONFIG SET - '" + r.str(i) + "'");
                    }
                    // Protected first: without --enable-protected-configs a path parameter is refused as
                    // Redis refuses 'dir', even where Strata could not change it anyway.
                    if (p.isProtected() && !r.server.config().enableProtectedConfigs()) {
                        throw setFailed(name, "can't set protected config");
                    }
                    if (p.set() == null) {
                        throw setFailed(name, "can't set immutable config");
                    }
                }
                // TLS first: its change is all or nothing, so a failure leaves the whole call unapplied.
                if (!tls.isEmpty()) {
                    changeTls(r.server, tls);
                }
                for (int i = 2; i < r.argc(); i += 2) {
                    String name = r.str(i).toLowerCase(Locale.ROOT);
                    if (tls.containsKey(name)) {
                        continue;
                    }
                    try {
                        PARAMS.get(name).set().accept(r.server, r.str(i + 1));
                    } catch (IllegalArgumentException e) {
                        throw setFailed(name, e.getMessage());
                    }
                }
                r.out.ok();
            }
            case "resetstat" -> {
                ConnectionCommands.arity(r, 2, "config|resetstat");
                r.server.stats().reset();
                r.out.ok();
            }
            case "rewrite" -> {
                ConnectionCommands.arity(r, 2, "config|rewrite");
                throw new CommandError("ERR The server is running without a config file");
            }
            case "help" ->
                ConnectionCommands.help(
                        r.out,
                        "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                        "GET <pattern>",
                        "    Return parameters matching the glob-like <pattern> and their values.",
                        "SET <directive> <value>",
                        "    Set the configuration <directive> to <value>.",
                        "RESETSTAT",
                        "    Reset statistics reported by the INFO command.",
                        "REWRITE",
                        "    Rewrite the configuration file (not supported: there is none).",
                        "HELP",
                        "    Print this help.");
            default -> throw CommandError.unknownSubcommand(r.str(1), "config");
        }
    }

    // ---- INFO ----

    private static final List<String> DEFAULT_SECTIONS =
            List.of("server", "clients", "memory", "persistence", "stats", "replication", "cpu", "keyspace", "strata");

    static void info(Request r) {
        Set<String> sections = new java.util.LinkedHashSet<>();
        if (r.argc() == 1) {
            sections.addAll(DEFAULT_SECTIONS);
        }
        for (int i = 1; i < r.argc(); i++) {
            String s = r.str(i).toLowerCase(Locale.ROOT);
            if (s.equals("all") || s.equals("everything") || s.equals("default")) {
                sections.addAll(DEFAULT_SECTIONS);
            } else {
                sections.add(s);
            }
        }
        StringBuilder sb = new StringBuilder();
        StrataServer s = r.server;
        ServerStats st = s.stats();
        long now = System.currentTimeMillis();
        for (String section : sections) {
            int before = sb.length();
            if (sb.length() > 0) {
                sb.append("\r\n");
            }
            switch (section) {
                case "server" -> {
                    long uptime = (now - s.startMillis()) / 1000;
                    sb.append("# Server\r\n");
                    line(sb, "redis_version", StrataServer.REDIS_VERSION);
                    line(sb, "strata_version", StrataServer.VERSION);
                    line(sb, "redis_mode", "standalone");
                    line(
                            sb,
                            "os",
                            System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                                    + System.getProperty("os.arch"));
                    line(sb, "arch_bits", System.getProperty("sun.arch.data.model", "64"));
                    line(sb, "multiplexing_api", "netty-nio");
                    line(sb, "java_version", System.getProperty("java.version"));
                    line(sb, "process_id", ProcessHandle.current().pid());
                    line(sb, "tcp_port", s.port());
                    line(sb, "server_time_usec", now * 1000);
                    line(sb, "uptime_in_seconds", uptime);
                    line(sb, "uptime_in_days", uptime / 86400);
                    line(sb, "io_threads_active", 0);
                    line(sb, "executable", "");
                    line(sb, "config_file", "");
                }
                case "clients" -> {
                    sb.append("# Clients\r\n");
                    line(sb, "connected_clients", s.connectedClients());
                    line(sb, "maxclients", s.config().maxClients());
                    line(sb, "blocked_clients", 0);
                    line(
                            sb,
                            "pubsub_clients",
                            s.clients().stream()
                                    .filter(c -> c.subscriptions.any())
                                    .count());
                }
                case "memory" -> {
                    Runtime rt = Runtime.getRuntime();
                    long used = rt.totalMemory() - rt.freeMemory();
                    sb.append("# Memory\r\n");
                    line(sb, "used_memory", used);
                    line(sb, "used_memory_human", human(used));
                    line(
                            sb,
                            "used_memory_peak",
                            ManagementFactory.getMemoryMXBean()
                                    .getHeapMemoryUsage()
                                    .getCommitted());
                    line(sb, "total_system_memory", 0);
                    line(sb, "jvm_heap_max", rt.maxMemory());
                    line(sb, "maxmemory", 0);
                    line(sb, "maxmemory_human", "0B");
                    line(sb, "maxmemory_policy", "noeviction");
                    // The scripts' bodies: Redis's count of its script cache (luaj's compiled code is not measured).
                    line(sb, "used_memory_scripts_eval", s.scripts().cache().bodyBytes());
                    line(sb, "number_of_cached_scripts", s.scripts().cache().size());
                    line(sb, "used_memory_scripts", s.scripts().cache().bodyBytes());
                    line(sb, "strata_memtable_bytes", prop(s, "strata.memtable-bytes"));
                }
                case "persistence" -> {
                    sb.append("# Persistence\r\n");
                    line(sb, "loading", 0);
                    line(sb, "async_loading", 0);
                    line(sb, "rdb_changes_since_last_save", 0);
                    line(sb, "rdb_bgsave_in_progress", s.bgsaveInProgress() ? 1 : 0);
                    line(sb, "rdb_last_save_time", s.lastSaveMillis() / 1000);
                    line(sb, "rdb_last_bgsave_status", s.lastBgsaveOk() ? "ok" : "err");
                    line(sb, "aof_enabled", 1);
                    line(sb, "aof_rewrite_in_progress", 0);
                    line(sb, "strata_wal_sync", s.config().sync() ? "always" : "os");
                }
                case "stats" -> {
                    sb.append("# Stats\r\n");
                    line(sb, "total_connections_received", st.connectionsReceived.sum());
                    line(sb, "total_commands_processed", st.commandsProcessed.sum());
                    line(sb, "instantaneous_ops_per_sec", 0);
                    line(sb, "total_net_input_bytes", st.netInputBytes.sum());
                    line(sb, "total_net_output_bytes", st.netOutputBytes.sum());
                    line(sb, "rejected_connections", st.rejectedConnections.sum());
                    line(sb, "expired_keys", 0);
                    line(sb, "evicted_keys", 0);
                    line(sb, "keyspace_hits", st.keyspaceHits.sum());
                    line(sb, "keyspace_misses", st.keyspaceMisses.sum());
                    line(sb, "pubsub_channels", s.pubsub().count(Kind.CHANNEL));
                    line(sb, "pubsub_patterns", s.pubsub().count(Kind.PATTERN));
                    line(sb, "pubsubshard_channels", s.pubsub().count(Kind.SHARD));
                    line(sb, "total_error_replies", st.errorReplies.sum());
                    line(sb, "acl_access_denied_auth", st.authFailures.sum());
                    line(sb, "acl_access_denied_cmd", st.aclDeniedCommand.sum());
                    line(sb, "acl_access_denied_key", st.aclDeniedKey.sum());
                    line(sb, "acl_access_denied_channel", st.aclDeniedChannel.sum());
                    line(sb, "client_output_buffer_limit_disconnections", st.outputBufferLimitDisconnections.sum());
                    line(sb, "strata_protocol_errors", st.protocolErrors.sum());
                    line(sb, "strata_idle_timeouts", st.idleTimeouts.sum());
                    line(sb, "strata_write_batches", st.writeBatches.sum());
                    line(sb, "strata_batched_writes", st.batchedWrites.sum());
                }
                case "replication" -> {
                    sb.append("# Replication\r\n");
                    if (s.replication() != null) {
                        sb.append(s.replication().info());
                    } else {
                        line(sb, "role", "master");
                        line(sb, "connected_slaves", 0);
                    }
                }
                case "cpu" -> {
                    sb.append("# CPU\r\n");
                    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
                    double cpu = 0;
                    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
                        cpu = sun.getProcessCpuTime() / 1e9;
                    }
                    line(sb, "used_cpu_sys", String.format(Locale.ROOT, "%.6f", 0.0));
                    line(sb, "used_cpu_user", String.format(Locale.ROOT, "%.6f", cpu));
                }
                case "keyspace" -> {
                    sb.append("# Keyspace\r\n");
                    long[] counts = countKeys(r.ks);
                    if (counts[0] > 0) {
                        line(sb, "db0", "keys=" + counts[0] + ",expires=" + counts[1] + ",avg_ttl=0");
                    }
                }
                case "strata" -> {
                    sb.append("# Strata\r\n");
                    Statistics engine = s.keyspace().db().statistics();
                    line(sb, "last_sequence", Long.toString(engine.lastSequence()));
                    line(sb, "bytes_ingested", Long.toString(engine.bytesIngested()));
                    line(sb, "memtable_bytes", Long.toString(engine.memtableBytes()));
                    line(sb, "immutable_memtables", Integer.toString(engine.immutableMemtables()));
                    for (int level = 0; level < engine.filesPerLevel().size(); level++) {
                        line(
                                sb,
                                "files_at_level" + level,
                                Integer.toString(engine.filesPerLevel().get(level)));
                        line(
                                sb,
                                "bytes_at_level" + level,
                                Long.toString(engine.bytesPerLevel().get(level)));
                    }
                    line(sb, "flushes", Long.toString(engine.flushes()));
                    line(sb, "flush_bytes", Long.toString(engine.flushBytes()));
                    line(sb, "flush_failures", Long.toString(engine.flushFailures()));
                    line(sb, "compactions", Long.toString(engine.compactions()));
                    line(sb, "compaction_bytes_read", Long.toString(engine.compactionBytesRead()));
                    line(sb, "compaction_bytes_written", Long.toString(engine.compactionBytesWritten()));
                    line(sb, "compaction_failures", Long.toString(engine.compactionFailures()));
                    line(sb, "write_amplification", String.format(Locale.ROOT, "%.2f", engine.writeAmplification()));
                    for (int i = 0; i < Statistics.STALL_REASONS.size(); i++) {
                        String reason = Statistics.STALL_REASONS.get(i).replace('-', '_');
                        line(
                                sb,
                                "stall_writes_" + reason,
                                Long.toString(engine.stallWrites().get(i)));
                        line(
                                sb,
                                "stall_ms_" + reason,
                                Long.toString(engine.stallMillis().get(i)));
                    }
                    line(sb, "background_error", oneLine(prop(s, "strata.background-error")));
                    line(sb, "compaction_error", oneLine(prop(s, "strata.compaction-error")));
                }
                default -> sb.setLength(before); // unknown sections are left out, as in Redis
            }
        }
        r.out.verbatim(sb.toString());
    }

    private static String oneLine(String error) {
        return error == null || error.isEmpty()
                ? "none"
                : error.replace("\r", " ").replace("\n", " ");
    }

    private static String prop(StrataServer s, String name) {
        return s.keyspace().db().getProperty(name);
    }

    private static void line(StringBuilder sb, String key, Object value) {
        sb.append(key).append(':').append(value).append("\r\n");
    }

    private static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + "B";
        }
        String[] units = {"K", "M", "G", "T"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.2f%s", v, units[u]);
    }

    /** {live keys, live keys with an expiry}: a scan of the whole store. */
    static long[] countKeys(Keyspace ks) {
        long keys = 0;
        long expires = 0;
        long now = ks.now();
        try (StrataIterator it = ks.iterator(null)) {
            for (it.seekToFirst(); it.valid(); it.next()) {
                byte[] raw = it.value();
                long at = ValueCodec.expireAt(raw);
                if (!ValueCodec.expired(at, now)) {
                    keys++;
                    if (at != 0) {
                        expires++;
                    }
                }
            }
        }
        return new long[] {keys, expires};
    }

    static void dbsize(Request r) {
        r.out.integer(countKeys(r.ks)[0]);
    }

    /**
     * FLUSHDB/FLUSHALL [ASYNC|SYNC]: deletes every key, in batches, each under its keys' locks; on a
     * cluster node as one replicated entry, under every stripe lock. In a transaction the
     * deletions join its writes (its one batch, or entry).
     */
    static void flush(Request r, String name) {
        if (r.argc() > 2 || (r.argc() == 2 && !r.is(1, "ASYNC") && !r.is(1, "SYNC"))) {
            throw CommandError.SYNTAX;
        }
        Keyspace ks = r.ks;
        if (r.server.replication() != null && !ks.inTransaction()) {
            try (Keyspace.Locked ignored = ks.lockAll()) {
                ks.clear(r.server.replication()::clearAll);
            }
            r.out.ok();
            return;
        }
        List<byte[]> keys = new ArrayList<>();
        try (StrataIterator it = ks.iterator(null)) {
            for (it.seekToFirst(); it.valid(); it.next()) {
                keys.add(it.key());
                if (keys.size() == 1000) {
                    deleteAll(ks, keys);
                }
            }
        }
        deleteAll(ks, keys);
        r.out.ok();
    }

    private static void deleteAll(Keyspace ks, List<byte[]> keys) {
        if (keys.isEmpty()) {
            return;
        }
        Writes writes = ks.writes();
        keys.forEach(writes::delete);
        try (Keyspace.Locked ignored = ks.lock(keys)) {
            ks.write(writes);
        }
        keys.clear();
    }

    static void save(Request r) {
        r.server.save();
        r.out.ok();
    }

    static void bgsave(Request r) {
        if (r.argc() > 2 || (r.argc() == 2 && !r.is(1, "SCHEDULE"))) {
            throw CommandError.SYNTAX;
        }
        if (!r.server.bgsave()) {
            throw new CommandError("ERR Background save already in progress");
        }
        r.out.simple("Background saving started");
    }

    static void lastsave(Request r) {
        r.out.integer(r.server.lastSaveMillis() / 1000);
    }

    static void shutdown(Request r) {
        for (int i = 1; i < r.argc(); i++) {
            String opt = r.upper(i);
            if (opt.equals("ABORT")) {
                throw new CommandError("ERR No shutdown in progress.");
            }
            if (!Set.of("NOSAVE", "SAVE", "NOW", "FORCE").contains(opt)) {
                throw CommandError.SYNTAX;
            }
        }
        // As in Redis, a successful SHUTDOWN has no reply: the connection just closes.
        r.client.closing = true;
        r.server.stopAsync("SHUTDOWN from client " + r.client.id + " (" + r.client.addr() + ")");
    }

    static void time(Request r) {
        long micros = java.time.temporal.ChronoUnit.MICROS.between(java.time.Instant.EPOCH, java.time.Instant.now());
        r.out.array(2);
        r.out.bulk(Long.toString(micros / 1_000_000));
        r.out.bulk(Long.toString(micros % 1_000_000));
    }
}
