package io.strata.server;

import static io.strata.server.CommandTable.Keys.NONE;

import java.util.List;
import java.util.Locale;

/** SLOWLOG GET [count] | LEN | RESET | HELP over the server's {@link SlowLog}, replying as Redis. */
final class SlowlogCommand {
    private SlowlogCommand() {}

    /** Redis's: at most this many entries when GET names no count. */
    private static final int DEFAULT_COUNT = 10;

    static void register(CommandTable t) {
        t.group("server")
                .add("slowlog", -2, "", NONE, "2.2.12", SlowlogCommand::run)
                .categories("")
                .sub("get", -2, "admin loading stale", NONE, "")
                .sub("len", 2, "admin loading stale", NONE, "")
                .sub("reset", 2, "admin loading stale", NONE, "")
                .sub("help", 2, "loading stale", NONE, "")
                .doc("A container for slow log commands.");
    }

    static void run(Request r) {
        SlowLog log = r.server.slowLog();
        String sub = r.str(1).toLowerCase(Locale.ROOT);
        switch (sub) {
            case "get" -> {
                if (r.argc() > 3) {
                    throw new CommandError("ERR unknown subcommand or wrong number of arguments for '"
                            + Request.abbreviate(r.str(1), 128) + "'. Try SLOWLOG HELP.");
                }
                long count = DEFAULT_COUNT;
                if (r.argc() == 3) {
                    try {
                        count = r.longArg(2);
                    } catch (CommandError e) {
                        count = -2;
                    }
                    if (count < -1) {
                        throw new CommandError("ERR count should be greater than or equal to -1");
                    }
                }
                List<SlowLog.Entry> entries = log.newest(count);
                r.out.array(entries.size());
                for (SlowLog.Entry e : entries) {
                    r.out.array(6);
                    r.out.integer(e.id());
                    r.out.integer(e.unixSeconds());
                    r.out.integer(e.micros());
                    r.out.array(e.argv().size());
                    e.argv().forEach(r.out::bulk);
                    r.out.bulk(e.addr());
                    r.out.bulk(e.name());
                }
            }
            case "len" -> {
                ConnectionCommands.arity(r, 2, "slowlog|len");
                r.out.integer(log.size());
            }
            case "reset" -> {
                ConnectionCommands.arity(r, 2, "slowlog|reset");
                log.reset();
                r.out.ok();
            }
            case "help" ->
                ConnectionCommands.help(
                        r.out,
                        "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                        "GET [<count>]",
                        "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
                        "    Entries are made of:",
                        "    id, timestamp, time in microseconds, arguments array, client IP and port,",
                        "    client name",
                        "LEN",
                        "    Return the length of the slowlog.",
                        "RESET",
                        "    Reset the slowlog.",
                        "HELP",
                        "    Prints this help.");
            default -> throw CommandError.unknownSubcommand(r.str(1), "slowlog");
        }
    }
}
