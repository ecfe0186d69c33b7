package io.strata.server;

import static io.strata.server.CommandTable.Keys.NONE;

import io.strata.server.acl.Denial;
import io.strata.server.acl.UserHandle;
import java.util.ArrayList;
import java.util.List;

/** PING, ECHO, HELLO, AUTH, SELECT, QUIT, RESET, CLIENT, MONITOR. */
final class ConnectionCommands {
    private ConnectionCommands() {}

    /** The flags of HELLO, AUTH and RESET: they run before AUTH and in any state. */
    private static final String HANDSHAKE = "noscript loading stale fast no_auth allow_busy";

    /** The flags of CLIENT's subcommands that any user may be allowed (Redis's). */
    private static final String CLIENT_SUBCOMMAND = "noscript loading stale";

    static void register(CommandTable t) {
        CommandTable.Group conn = t.group("connection");
        conn.add("ping", -1, "fast", NONE, "1.0.0", ConnectionCommands::ping)
                .doc("Returns the server's liveliness response.");
        conn.add("echo", 2, "fast", NONE, "1.0.0", r -> r.out.bulk(r.argv[1])).doc("Returns the given string.");
        conn.add("hello", -1, HANDSHAKE, NONE, "6.0.0", ConnectionCommands::hello)
                .doc("Handshakes with the Redis server.");
        conn.add("auth", -2, HANDSHAKE, NONE, "1.0.0", ConnectionCommands::auth).doc("Authenticates the connection.");
        conn.add("select", 2, "loading stale fast", NONE, "1.0.0", ConnectionCommands::select)
                .doc("Changes the selected database (Strata has only database 0).");
        conn.add("quit", -1, "allow_busy noscript loading stale fast no_auth", NONE, "1.0.0", ConnectionCommands::quit)
                .doc("Closes the connection.");
        conn.add("reset", 1, HANDSHAKE, NONE, "6.2.0", ConnectionCommands::reset)
                .doc("Resets the connection.");
        t.group("server")
                .add("monitor", 1, "admin noscript loading stale", NONE, "1.0.0", ConnectionCommands::monitor)
                .doc("Listens for all requests received by the server in real-time.");
        CommandTable.Group cluster = t.group("cluster");
        cluster.add("readonly", 1, "loading stale fast", NONE, "3.0.0", r -> staleReads(r, true))
                .doc("Enables read-only queries for a connection to a Redis Cluster replica node; on a Strata cluster "
                        + "node, serves this connection's reads from the node's local state, which may be stale.");
        cluster.add("readwrite", 1, "loading stale fast", NONE, "3.0.0", r -> staleReads(r, false))
                .doc("Enables read-write queries for a connection to a Redis Cluster replica node; on a Strata "
                        + "cluster node, makes this connection's reads linearizable again (the default).");
        conn.add("client", -2, "", NONE, "2.4.0", ConnectionCommands::client)
                .categories("")
                .sub("setname", 3, CLIENT_SUBCOMMAND, NONE, "connection")
                .sub("getname", 2, CLIENT_SUBCOMMAND, NONE, "connection")
                .sub("id", 2, CLIENT_SUBCOMMAND, NONE, "connection")
                .sub("info", 2, CLIENT_SUBCOMMAND, NONE, "connection")
                .sub("list", -2, ServerCommands.ADMIN_SUBCOMMAND, NONE, "connection")
                .sub("setinfo", 4, CLIENT_SUBCOMMAND, NONE, "connection")
                .sub("kill", -3, ServerCommands.ADMIN_SUBCOMMAND, NONE, "connection")
                .sub("no-evict", 3, ServerCommands.ADMIN_SUBCOMMAND, NONE, "connection")
                .sub("reply", 3, CLIENT_SUBCOMMAND, NONE, "connection")
                .sub("pause", -3, ServerCommands.ADMIN_SUBCOMMAND, NONE, "connection")
                .sub("unpause", 2, ServerCommands.ADMIN_SUBCOMMAND, NONE, "connection")
                .sub("no-touch", 3, CLIENT_SUBCOMMAND, NONE, "connection")
                .sub("help", 2, "loading stale", NONE, "connection")
                .doc("A container for client connection commands.");
    }

    static void ping(Request r) {
        if (r.argc() > 2) {
            throw CommandError.arity("ping");
        }
        if (r.client.protocol == 2 && r.client.subscriptions.any()) {
            // Redis's subscribed-mode PING: an array, so that it cannot be taken for a message
            r.out.array(2);
            r.out.bulk("pong");
            r.out.bulk(r.argc() == 2 ? r.argv[1] : new byte[0]);
        } else if (r.argc() == 2) {
            r.out.bulk(r.argv[1]);
        } else {
            r.out.simple("PONG");
        }
    }

    static void quit(Request r) {
        r.out.ok();
        r.client.closing = true;
    }

    static void select(Request r) {
        long db = r.longArg(1);
        if (db != 0) {
            throw new CommandError("ERR DB index is out of range");
        }
        r.out.ok();
    }

    static void reset(Request r) {
        r.client.tx.end();
        r.client.tx.unwatch(r.server.keyspace().watches());
        PubSubCommands.dropAll(r.server, r.client);
        r.server.monitors().remove(r.client);
        r.client.monitor = false;
        r.client.noEvict = false;
        r.client.noTouch = false;
        r.client.replyMode = ReplyMode.ON;
        r.out.mute(false);
        r.out.protocol(2);
        r.client.protocol = 2;
        r.client.name = null;
        r.client.staleReads = false;
        r.client.user = r.server.acl().defaultUser();
        r.client.authenticated = r.server.acl().defaultUserOpen();
        r.out.simple("RESET");
    }

    /** READONLY and READWRITE: as Redis, only on a cluster node. */
    private static void staleReads(Request r, boolean stale) {
        if (r.server.replication() == null) {
            throw new CommandError("ERR This instance has cluster support disabled");
        }
        r.client.staleReads = stale;
        r.out.ok();
    }

    /**
     * Logs the connection in as the user if the password is one of its passwords (or it is nopass)
     * and it is on; else counts the failure and records it in ACL LOG (without the password).
     */
    private static boolean authenticate(Request r, String user, byte[] password) {
        UserHandle h = r.server.acl().authenticate(user, password);
        if (h == null) {
            r.server.stats().authFailures.add(1);
            r.server
                    .acl()
                    .log()
                    .add(new Denial("auth", r.spec().name()), user, r.client.describe(System.currentTimeMillis()));
            return false;
        }
        r.client.user = h;
        r.client.authenticated = true;
        return true;
    }

    static void auth(Request r) {
        if (r.argc() > 3) {
            throw CommandError.SYNTAX;
        }
        if (r.argc() == 2 && r.server.acl().defaultUser().user().nopass()) {
            throw new CommandError("ERR AUTH <password> called without any password configured for the default user. "
                    + "Are you sure your client is configured correctly?");
        }
        String user = r.argc() == 3 ? r.str(1) : "default";
        if (!authenticate(r, user, r.argv[r.argc() - 1])) {
            throw CommandError.WRONGPASS;
        }
        r.out.ok();
    }

    static void hello(Request r) {
        int version = r.client.protocol;
        if (r.argc() >= 2) {
            long v;
            try {
                v = r.longArg(1);
            } catch (CommandError e) {
                throw new CommandError("ERR Protocol version is not an integer or out of range");
            }
            if (v < 2 || v > 3) {
                throw new CommandError("NOPROTO unsupported protocol version");
            }
            version = (int) v;
        }
        String user = null;
        byte[] pass = null;
        String name = null;
        for (int j = 2; j < r.argc(); j++) {
            int more = r.argc() - 1 - j;
            if (r.is(j, "AUTH") && more >= 2) {
                user = r.str(j + 1);
                pass = r.argv[j + 2];
                j += 2;
            } else if (r.is(j, "SETNAME") && more >= 1) {
                name = r.str(j + 1);
                j++;
            } else {
                throw new CommandError("ERR Syntax error in HELLO option '" + Request.abbreviate(r.str(j), 128) + "'");
            }
        }
        if (user != null && !authenticate(r, user, pass)) {
            throw CommandError.WRONGPASS;
        }
        if (AccessControl.authRequired(r.client, r.server.acl())) {
            throw new CommandError("NOAUTH HELLO must be called with the client already authenticated, otherwise the "
                    + "HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select "
                    + "the RESP protocol version at the same time");
        }
        if (name != null) {
            checkName(name, "Client names");
            r.client.name = name.isEmpty() ? null : name;
        }
        r.client.protocol = version;
        r.out.protocol(version);
        r.out.map(7);
        r.out.bulk("server");
        r.out.bulk("redis");
        r.out.bulk("version");
        r.out.bulk(StrataServer.REDIS_VERSION);
        r.out.bulk("proto");
        r.out.integer(version);
        r.out.bulk("id");
        r.out.integer(r.client.id);
        r.out.bulk("mode");
        r.out.bulk("standalone");
        r.out.bulk("role");
        r.out.bulk("master");
        r.out.bulk("modules");
        r.out.array(0);
    }

    private static void checkName(String name, String what) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '!' || c > '~') {
                throw new CommandError("ERR " + what + " cannot contain spaces, newlines or special characters.");
            }
        }
    }

    static void client(Request r) {
        String sub = r.str(1).toLowerCase(java.util.Locale.ROOT);
        Client c = r.client;
        long now = System.currentTimeMillis();
        switch (sub) {
            case "setname" -> {
                arity(r, 3, "client|setname");
                String name = r.str(2);
                checkName(name, "Client names");
                c.name = name.isEmpty() ? null : name;
                r.out.ok();
            }
            case "getname" -> {
                arity(r, 2, "client|getname");
                String name = c.name;
                if (name == null) {
                    r.out.nullBulk();
                } else {
                    r.out.bulk(name);
                }
            }
            case "id" -> {
                arity(r, 2, "client|id");
                r.out.integer(c.id);
            }
            case "info" -> {
                arity(r, 2, "client|info");
                r.out.verbatim(c.describe(now, r.argv) + "\n");
            }
            case "list" -> {
                List<Long> ids = null;
                java.util.function.Predicate<Client> ofType = other -> true;
                for (int j = 2; j < r.argc(); j++) {
                    if (r.is(j, "TYPE") && j + 1 < r.argc()) {
                        ofType = KillFilter.ofType(r.str(++j));
                    } else if (r.is(j, "ID") && j + 1 < r.argc()) {
                        if (ids == null) {
                            ids = new ArrayList<>();
                        }
                        for (j = j + 1; j < r.argc(); j++) {
                            long id;
                            try {
                                id = r.longArg(j);
                            } catch (CommandError e) {
                                throw new CommandError("ERR Invalid client ID");
                            }
                            ids.add(id);
                        }
                    } else {
                        throw CommandError.SYNTAX;
                    }
                }
                StringBuilder sb = new StringBuilder();
                for (Client other : r.server.clients()) {
                    if ((ids == null || ids.contains(other.id)) && ofType.test(other)) {
                        sb.append(other.describe(now, other == c ? r.argv : null))
                                .append('\n');
                    }
                }
                r.out.verbatim(sb.toString());
            }
            case "setinfo" -> {
                arity(r, 4, "client|setinfo");
                String attr = r.str(2).toLowerCase(java.util.Locale.ROOT);
                String value = r.str(3);
                switch (attr) {
                    case "lib-name" -> {
                        checkName(value, "lib-name");
                        c.libName = value.isEmpty() ? null : value;
                    }
                    case "lib-ver" -> {
                        checkName(value, "lib-ver");
                        c.libVer = value.isEmpty() ? null : value;
                    }
                    default -> throw new CommandError("ERR Unrecognized option '" + r.str(2) + "'");
                }
                r.out.ok();
            }
            case "kill" -> kill(r);
            case "no-evict", "no-touch" -> {
                arity(r, 3, "client|" + sub);
                if (!r.is(2, "ON") && !r.is(2, "OFF")) {
                    throw CommandError.SYNTAX;
                }
                if (sub.equals("no-evict")) {
                    c.noEvict = r.is(2, "ON");
                } else {
                    c.noTouch = r.is(2, "ON");
                }
                r.out.ok();
            }
            case "reply" -> reply(r);
            case "pause" -> pause(r);
            case "unpause" -> {
                arity(r, 2, "client|unpause");
                r.server.pause().unpause();
                r.out.ok();
            }
            case "help" ->
                help(
                        r.out,
                        "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                        "GETNAME",
                        "    Return the name of the current connection.",
                        "ID",
                        "    Return the ID of the current connection.",
                        "INFO",
                        "    Return information about the current client connection.",
                        "KILL ID <client-id> | KILL <ip:port>",
                        "    Kill a connection.",
                        "LIST [TYPE normal] [ID <id> [<id> ...]]",
                        "    Return information about client connections.",
                        "UNPAUSE",
                        "    Stop the current client pause, resuming traffic.",
                        "PAUSE <timeout> [WRITE|ALL]",
                        "    Suspend all, or just write, clients for <timeout> milliseconds.",
                        "REPLY (ON|OFF|SKIP)",
                        "    Control the replies sent to the current connection.",
                        "SETINFO <LIB-NAME|LIB-VER> <value>",
                        "    Set library name or version of the connection.",
                        "SETNAME <name>",
                        "    Assign the name <name> to the current connection.",
                        "NO-EVICT (ON|OFF)",
                        "    Protect current client connection from eviction (Strata never evicts clients).",
                        "HELP",
                        "    Print this help.");
            default -> throw CommandError.unknownSubcommand(r.str(1), "client");
        }
    }

    /** CLIENT REPLY ON replies OK; OFF and SKIP reply nothing (muted at once, or for the next command). */
    private static void reply(Request r) {
        arity(r, 3, "client|reply");
        ReplyMode mode;
        try {
            mode = ReplyMode.valueOf(r.upper(2));
        } catch (IllegalArgumentException e) {
            throw CommandError.SYNTAX;
        }
        r.client.replyMode = mode;
        r.out.mute(mode == ReplyMode.OFF);
        if (mode == ReplyMode.ON) {
            r.out.ok();
        }
    }

    /** CLIENT PAUSE timeout [WRITE|ALL]: the connections' commands wait ({@link PauseState}). */
    private static void pause(Request r) {
        if (r.argc() > 4) {
            throw CommandError.SYNTAX;
        }
        long timeout;
        try {
            timeout = r.longArg(2);
        } catch (CommandError e) {
            throw new CommandError("ERR timeout is not an integer or out of range");
        }
        if (timeout < 0) {
            throw new CommandError("ERR timeout is negative");
        }
        boolean all = true;
        if (r.argc() == 4) {
            if (r.is(3, "WRITE")) {
                all = false;
            } else if (!r.is(3, "ALL")) {
                throw new CommandError("ERR CLIENT PAUSE mode must be WRITE or ALL");
            }
        }
        long now = System.currentTimeMillis();
        r.server.pause().pause(now + Math.min(timeout, Long.MAX_VALUE - now), all, now);
        r.out.ok();
    }

    /** MONITOR: from now on this connection is sent the commands of the others ({@link Monitor}). */
    static void monitor(Request r) {
        if (r.ks.inTransaction()) {
            throw new CommandError("ERR MONITOR isn't allowed for DENY BLOCKING client");
        }
        if (r.client.monitor || r.client.pushes == null) {
            return; // already one (Redis replies nothing); a forwarded command's client has no connection
        }
        r.client.monitor = true;
        r.server.monitors().add(r.client);
        r.out.ok();
    }

    /**
     * CLIENT KILL addr:port (the old form: OK, or an error if no connection has that address), or
     * CLIENT KILL with filters, each once or more (the last wins): ID, TYPE, USER, ADDR, LADDR,
     * SKIPME yes|no (default yes: not this connection), MAXAGE seconds; replies how many connections
     * matched every filter and were closed (after their replies so far).
     */
    private static void kill(Request r) {
        if (r.argc() < 3) {
            throw CommandError.arity("client|kill");
        }
        if (r.argc() == 3) {
            String addr = r.str(2);
            for (Client other : r.server.clients()) {
                if (other.addr().equals(addr)) {
                    r.server.kill(other);
                    r.out.ok();
                    return;
                }
            }
            throw new CommandError("ERR No such client");
        }
        java.util.function.Predicate<Client> filter = KillFilter.parse(r);
        long killed = 0;
        for (Client other : r.server.clients()) {
            if (filter.test(other)) {
                r.server.kill(other);
                killed++;
            }
        }
        r.out.integer(killed);
    }

    static void arity(Request r, int n, String fullName) {
        if (r.argc() != n) {
            throw CommandError.arity(fullName);
        }
    }

    static void help(io.strata.server.resp.RespWriter out, String... lines) {
        out.array(lines.length);
        for (String l : lines) {
            out.simple(l);
        }
    }
}
