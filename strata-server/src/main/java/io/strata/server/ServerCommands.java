package io.strata.server;

import static io.strata.server.CommandTable.Keys.NONE;

import io.strata.StrataIterator;
import io.strata.server.acl.AclCategory;
import io.strata.server.resp.RespWriter;
import io.strata.server.store.Keyspace;
import io.strata.server.store.ValueCodec;
import io.strata.server.store.Writes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
                .sub("getkeys", -3, "loading stale", NONE, "connection")
                .sub("getkeysandflags", -3, "loading stale", NONE, "connection")
                .sub("help", 2, "loading stale", NONE, "connection")
                .doc("Returns detailed information about all commands.");
        server.add("config", -2, "", NONE, "2.0.0", ConfigCommand::run)
                .sub("get", -3, ADMIN_SUBCOMMAND, NONE, "")
                .sub("set", -4, ADMIN_SUBCOMMAND, NONE, "")
                .sub("resetstat", 2, ADMIN_SUBCOMMAND, NONE, "")
                .sub("rewrite", 2, ADMIN_SUBCOMMAND, NONE, "")
                .sub("help", 2, "loading stale", NONE, "")
                .doc("A container for server configuration commands.");
        server.add("info", -1, "loading stale", NONE, "1.0.0", InfoCommand::run)
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
                    CommandSpec c = byFullName(table, r.str(i));
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
            case "list" -> list(r, table);
            case "getkeys", "getkeysandflags" -> getKeys(r, sub.equals("getkeysandflags"));
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
                        "GETKEYS <full-command>",
                        "    Return the keys from a full Redis command.",
                        "GETKEYSANDFLAGS <full-command>",
                        "    Return the keys and the access flags from a full Redis command.",
                        "HELP",
                        "    Print this help.");
            default -> throw CommandError.unknownSubcommand(r.str(1), "command");
        }
    }

    /** A command, or a subcommand named {@code container|sub}, in any case; null if there is none. */
    private static CommandSpec byFullName(CommandTable table, String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        int bar = lower.indexOf('|');
        if (bar < 0) {
            return table.get(lower);
        }
        CommandSpec container = table.get(lower.substring(0, bar));
        return container == null ? null : container.subcommands().get(lower.substring(bar + 1));
    }

    /**
     * COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN pattern]: every command and
     * subcommand ({@code container|sub}), or those of an ACL category, or those whose name matches
     * the glob pattern; Strata has no modules, so FILTERBY MODULE lists none.
     */
    private static void list(Request r, CommandTable table) {
        java.util.function.Predicate<CommandSpec> filter = c -> true;
        if (r.argc() != 2) {
            if (r.argc() != 5 || !r.is(2, "FILTERBY")) {
                throw CommandError.SYNTAX;
            }
            String value = r.str(4);
            if (r.is(3, "MODULE")) {
                filter = c -> false;
            } else if (r.is(3, "ACLCAT")) {
                AclCategory cat = AclCategory.byName(value.toLowerCase(Locale.ROOT));
                filter = c -> cat != null && c.acl().categories().contains(cat);
            } else if (r.is(3, "PATTERN")) {
                byte[] pattern = r.argv[4];
                filter = c -> io.strata.server.util.Glob.matchesIgnoreCase(
                        pattern, c.name().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } else {
                throw CommandError.SYNTAX;
            }
        }
        List<String> names = new ArrayList<>();
        for (CommandSpec c : table.all()) {
            if (filter.test(c)) {
                names.add(c.name());
            }
            for (CommandSpec sub : c.subcommands().values()) {
                if (filter.test(sub)) {
                    names.add(sub.name());
                }
            }
        }
        r.out.array(names.size());
        names.forEach(r.out::bulk);
    }

    /**
     * COMMAND GETKEYS / GETKEYSANDFLAGS command [arg ...]: the keys of that request, by its key
     * specs ({@link CommandKeys}), with their flags for the second; Redis's errors for an unknown
     * command, a wrong number of arguments, and a command without keys.
     */
    private static void getKeys(Request r, boolean withFlags) {
        byte[][] argv = java.util.Arrays.copyOfRange(r.argv, 2, r.argc());
        CommandSpec spec = r.server.commands().of(argv);
        if (spec == null) {
            throw new CommandError("ERR Invalid command specified");
        }
        spec = spec.target(argv);
        if (!spec.arityOk(argv.length)) {
            throw new CommandError("ERR Invalid number of arguments specified for command");
        }
        if (!CommandKeys.hasKeys(spec)) {
            throw new CommandError("ERR The command has no key arguments");
        }
        List<CommandKeys.Key> keys = CommandKeys.find(spec, argv);
        r.out.array(keys.size());
        for (CommandKeys.Key k : keys) {
            if (!withFlags) {
                r.out.bulk(argv[k.index()]);
                continue;
            }
            r.out.array(2);
            r.out.bulk(argv[k.index()]);
            List<String> flags = CommandKeys.flags(k.access());
            r.out.set(flags.size());
            flags.forEach(r.out::simple);
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
        CommandKeys.writeSpecs(out, c);
        out.array(c.subcommands().size());
        c.subcommands().values().forEach(sub -> commandInfo(out, sub));
    }

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
