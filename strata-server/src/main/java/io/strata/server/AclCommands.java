package io.strata.server;

import static io.strata.server.CommandTable.Keys.NONE;

import io.strata.server.acl.Acl;
import io.strata.server.acl.AclCategory;
import io.strata.server.acl.AclLog;
import io.strata.server.acl.AclRuleException;
import io.strata.server.acl.AclRules;
import io.strata.server.acl.Denial;
import io.strata.server.acl.User;
import io.strata.server.acl.UserHandle;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ACL CAT, DELUSER, DRYRUN, GENPASS, GETUSER, LIST, LOAD, LOG, SAVE, SETUSER, USERS, WHOAMI and
 * HELP, with Redis 7.2's replies. A deleted user's connections, and those of users an ACL LOAD
 * drops, are closed; other connections run their next command under their user's new rules.
 */
final class AclCommands {
    private static final Logger log = LoggerFactory.getLogger(AclCommands.class);

    private AclCommands() {}

    private static final String ADMIN = ServerCommands.ADMIN_SUBCOMMAND;
    private static final String ANY_USER = "noscript loading stale";
    private static final String NO_FILE = "ERR This Redis instance is not configured to use an ACL file. You may want "
            + "to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a "
            + "Redis configuration file set) in order to store users in the Redis configuration.";
    private static final SecureRandom RANDOM = new SecureRandom();

    static void register(CommandTable t) {
        t.group("server")
                .add("acl", -2, "", NONE, "6.0.0", AclCommands::acl)
                .sub("cat", -2, ANY_USER, NONE, "")
                .sub("deluser", -3, ADMIN, NONE, "")
                .sub("dryrun", -4, ADMIN, NONE, "")
                .sub("genpass", -2, ANY_USER, NONE, "")
                .sub("getuser", 3, ADMIN, NONE, "")
                .sub("list", 2, ADMIN, NONE, "")
                .sub("load", 2, ADMIN, NONE, "")
                .sub("log", -2, ADMIN, NONE, "")
                .sub("save", 2, ADMIN, NONE, "")
                .sub("setuser", -3, ADMIN, NONE, "")
                .sub("users", 2, ADMIN, NONE, "")
                .sub("whoami", 2, ANY_USER, NONE, "")
                .sub("help", 2, "loading stale", NONE, "")
                .doc("A container for Access List Control commands.");
    }

    static void acl(Request r) {
        String sub = r.str(1).toLowerCase(Locale.ROOT);
        CommandSpec spec = r.spec().subcommands().get(sub);
        if (spec == null) {
            throw CommandError.unknownSubcommand(r.str(1), "acl");
        }
        if (!spec.arityOk(r.argc())) {
            throw CommandError.arity(spec.name());
        }
        Acl acl = r.server.acl();
        switch (sub) {
            case "cat" -> cat(r, acl);
            case "deluser" -> delUser(r, acl);
            case "dryrun" -> dryRun(r, acl);
            case "genpass" -> genPass(r);
            case "getuser" -> getUser(r, acl);
            case "list" -> {
                List<User> users = acl.all();
                r.out.array(users.size());
                users.forEach(u -> r.out.bulk("user " + u.name() + " " + u.rules()));
            }
            case "load" -> load(r, acl);
            case "log" -> log(r, acl.log());
            case "save" -> save(r, acl);
            case "setuser" -> setUser(r, acl);
            case "users" -> {
                List<String> names = acl.names();
                r.out.array(names.size());
                names.forEach(r.out::bulk);
            }
            case "whoami" -> r.out.bulk(r.client.user.name());
            default -> help(r);
        }
    }

    private static void cat(Request r, Acl acl) {
        if (r.argc() > 3) {
            throw CommandError.arity("acl|cat");
        }
        if (r.argc() == 2) {
            r.out.array(AclCategory.values().length);
            for (AclCategory c : AclCategory.values()) {
                r.out.bulk(c.ruleName());
            }
            return;
        }
        AclCategory c = AclCategory.byName(r.str(2));
        if (c == null) {
            throw new CommandError("ERR Unknown category '" + Request.abbreviate(r.str(2), 128) + "'");
        }
        List<String> names = acl.catalog().inCategory(c);
        r.out.array(names.size());
        names.forEach(r.out::bulk);
    }

    private static void setUser(Request r, Acl acl) {
        String name = r.str(2);
        if (!AclRules.validUsername(name)) {
            throw new CommandError("ERR Usernames can't contain spaces or null characters");
        }
        List<String> rules = Arrays.stream(r.argv, 3, r.argc())
                .map(a -> new String(a, java.nio.charset.StandardCharsets.UTF_8))
                .toList();
        try {
            acl.setUser(name, rules);
        } catch (AclRuleException e) {
            throw new CommandError("ERR Error in ACL SETUSER modifier '" + e.rule() + "': " + e.getMessage());
        }
        disconnectSubscribersLeftWithout(r.server);
        r.out.ok();
    }

    private static void delUser(Request r, Acl acl) {
        List<String> names = Arrays.stream(r.argv, 2, r.argc())
                .map(a -> new String(a, java.nio.charset.StandardCharsets.UTF_8))
                .toList();
        if (names.contains("default")) {
            throw new CommandError("ERR The 'default' user cannot be removed");
        }
        List<UserHandle> removed = acl.delete(names);
        disconnect(r.server, removed);
        r.out.integer(removed.size());
    }

    /**
     * After the users' channel rules changed: closes every connection that has a subscription its
     * user may no longer make (as Redis 7 does). Each connection checks its own subscriptions, on
     * its own thread, where they are confined.
     */
    private static void disconnectSubscribersLeftWithout(StrataServer server) {
        for (Client c : server.clients()) {
            if (c.subscriptions.any() && c.handler != null) {
                c.executor.execute(() -> c.handler.whenIdle(() -> {
                    if (!PubSubCommands.mayKeep(c.user.user(), c.subscriptions)) {
                        c.handler.shutdown();
                    }
                }));
            }
        }
    }

    /** Closes the connections logged in as these users (after the replies they have been sent). */
    private static void disconnect(StrataServer server, List<UserHandle> users) {
        for (Client c : server.clients()) {
            if (users.contains(c.user)) {
                server.kill(c);
            }
        }
    }

    private static void getUser(Request r, Acl acl) {
        User u = acl.user(r.str(2));
        if (u == null) {
            r.out.nullBulk();
            return;
        }
        r.out.map(6);
        r.out.bulk("flags");
        r.out.array(u.flags().size());
        u.flags().forEach(r.out::bulk);
        r.out.bulk("passwords");
        r.out.array(u.passwords().size());
        u.passwords().forEach(r.out::bulk);
        r.out.bulk("commands");
        r.out.bulk(u.commandRules());
        r.out.bulk("keys");
        r.out.bulk(u.keyRules());
        r.out.bulk("channels");
        r.out.bulk(u.channelRules());
        r.out.bulk("selectors");
        r.out.array(0);
    }

    /** ACL DRYRUN user command [arg ...]: OK, or why the user may not run it (Redis's verbose texts). */
    private static void dryRun(Request r, Acl acl) {
        User u = acl.user(r.str(2));
        if (u == null) {
            throw new CommandError("ERR User '" + Request.abbreviate(r.str(2), 128) + "' not found");
        }
        CommandSpec spec = r.server.commands().get(r.str(3).toLowerCase(Locale.ROOT));
        if (spec == null) {
            throw new CommandError("ERR Command '" + Request.abbreviate(r.str(3), 128) + "' not found");
        }
        byte[][] argv = Arrays.copyOfRange(r.argv, 3, r.argc());
        if (!spec.arityOk(argv.length)) {
            throw CommandError.arity(spec.name());
        }
        Denial d = AccessControl.denial(u, spec, argv);
        if (d == null) {
            r.out.ok();
        } else {
            r.out.bulk(d.verboseText(u.name()));
        }
    }

    private static void genPass(Request r) {
        long bits = 256;
        if (r.argc() > 3) {
            throw CommandError.arity("acl|genpass");
        }
        if (r.argc() == 3) {
            bits = r.longArg(2);
            if (bits <= 0 || bits > 4096) {
                throw new CommandError("ERR ACL GENPASS argument must be the number of bits for the output "
                        + "password, a positive number up to 4096");
            }
        }
        int chars = (int) ((bits + 3) / 4);
        byte[] random = new byte[(chars + 1) / 2];
        RANDOM.nextBytes(random);
        r.out.bulk(HexFormat.of().formatHex(random).substring(0, chars));
    }

    private static void load(Request r, Acl acl) {
        if (acl.file() == null) {
            throw new CommandError(NO_FILE);
        }
        List<UserHandle> dropped;
        try {
            dropped = acl.load();
        } catch (IllegalArgumentException e) {
            throw new CommandError("ERR " + e.getMessage());
        }
        disconnect(r.server, dropped);
        disconnectSubscribersLeftWithout(r.server);
        r.out.ok();
    }

    private static void save(Request r, Acl acl) {
        if (acl.file() == null) {
            throw new CommandError(NO_FILE);
        }
        try {
            acl.save();
        } catch (IllegalArgumentException e) {
            throw new CommandError("ERR ACL SAVE refused: " + e.getMessage());
        } catch (IOException e) {
            log.warn("ACL SAVE to {} failed: {}", acl.file(), e.toString());
            throw new CommandError("ERR There was an error trying to save the ACLs. Please check the server logs "
                    + "for more information");
        }
        r.out.ok();
    }

    /** ACL LOG [count | RESET]. */
    private static void log(Request r, AclLog aclLog) {
        if (r.argc() > 3) {
            throw CommandError.arity("acl|log");
        }
        int count = 10;
        if (r.argc() == 3) {
            if (r.is(2, "RESET")) {
                aclLog.reset();
                r.out.ok();
                return;
            }
            long n = r.longArg(2);
            if (n < 0) {
                throw CommandError.NOT_INTEGER;
            }
            count = (int) Math.min(n, AclLog.MAX_ENTRIES);
        }
        long now = aclLog.now();
        List<AclLog.Entry> entries = aclLog.latest(count);
        r.out.array(entries.size());
        for (AclLog.Entry e : entries) {
            r.out.map(10);
            r.out.bulk("count");
            r.out.integer(e.count());
            r.out.bulk("reason");
            r.out.bulk(e.reason());
            r.out.bulk("context");
            r.out.bulk(e.context());
            r.out.bulk("object");
            r.out.bulk(e.object());
            r.out.bulk("username");
            r.out.bulk(e.username());
            r.out.bulk("age-seconds");
            r.out.doubleValue((now - e.updatedMillis()) / 1000.0);
            r.out.bulk("client-info");
            r.out.bulk(e.clientInfo());
            r.out.bulk("entry-id");
            r.out.integer(e.entryId());
            r.out.bulk("timestamp-created");
            r.out.integer(e.createdMillis());
            r.out.bulk("timestamp-last-updated");
            r.out.integer(e.updatedMillis());
        }
    }

    private static void help(Request r) {
        ConnectionCommands.help(
                r.out,
                "ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                "CAT [<category>]",
                "    List all commands that belong to <category>, or all command categories",
                "    when no category is specified.",
                "DELUSER <username> [<username> ...]",
                "    Delete a list of users.",
                "DRYRUN <username> <command> [<arg> ...]",
                "    Returns whether the user can execute the given command without executing the command.",
                "GETUSER <username>",
                "    Get the user's details.",
                "GENPASS [<bits>]",
                "    Generate a secure 256-bit user password. The optional `bits` argument can",
                "    be used to specify a different size.",
                "LIST",
                "    Show users details in config file format.",
                "LOAD",
                "    Reload users from the ACL file.",
                "LOG [<count> | RESET]",
                "    Show the ACL log entries.",
                "SAVE",
                "    Save the current config to the ACL file.",
                "SETUSER <username> <attribute> [<attribute> ...]",
                "    Create or modify a user with the specified attributes.",
                "USERS",
                "    List all the registered usernames.",
                "WHOAMI",
                "    Return the current connection username.",
                "HELP",
                "    Print this help.");
    }
}
