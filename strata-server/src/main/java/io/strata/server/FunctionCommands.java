package io.strata.server;

import static io.strata.server.CommandTable.Keys.NONE;

import java.util.Locale;

/**
 * FUNCTION for a server without Redis 7 function libraries: Strata runs Lua through EVAL and
 * EVALSHA (ScriptCommands) and does not yet load libraries, so FUNCTION LIST, STATS, FLUSH, KILL
 * and DELETE answer what is true of a server with none (an empty list, zero counts, OK, NOTBUSY,
 * "Library not found"), and LOAD, DUMP and RESTORE are refused with an error that says so. Tools
 * that only clear or list functions (Redis's own test runner sends FUNCTION FLUSH before each
 * test) work unchanged; FCALL and FCALL_RO are unknown commands.
 */
final class FunctionCommands {
    private FunctionCommands() {}

    static final String NO_LIBRARIES = "ERR Strata does not load function libraries yet "
            + "(FUNCTION LOAD, DUMP, RESTORE, FCALL): use EVAL or EVALSHA";

    static void register(CommandTable t) {
        CommandTable.Group scripting = t.group("scripting");
        scripting
                .add("function", -2, "", NONE, "7.0.0", FunctionCommands::function)
                .sub("delete", 3, "write noscript", NONE, "write scripting")
                .sub("dump", 2, "noscript", NONE, "scripting")
                .sub("flush", -2, "write noscript", NONE, "write scripting")
                .sub("help", 2, "loading stale", NONE, "scripting")
                .sub("kill", 2, "noscript allow_busy", NONE, "scripting")
                .sub("list", -2, "noscript", NONE, "scripting")
                .sub("load", -3, "write denyoom noscript", NONE, "write scripting")
                .sub("restore", -3, "write denyoom noscript", NONE, "write scripting")
                .sub("stats", 2, "noscript allow_busy", NONE, "scripting")
                .doc("A container for function commands (Strata has no function libraries: see FunctionCommands).");
    }

    static void function(Request r) {
        String sub = r.str(1).toLowerCase(Locale.ROOT);
        switch (sub) {
            case "flush" -> {
                if (r.argc() > 3) {
                    throw new CommandError("ERR unknown subcommand or wrong number of arguments for '" + r.str(1)
                            + "'. Try FUNCTION HELP.");
                }
                if (r.argc() == 3
                        && !r.str(2).equalsIgnoreCase("sync")
                        && !r.str(2).equalsIgnoreCase("async")) {
                    throw new CommandError("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
                }
                r.out.ok();
            }
            case "list" -> {
                list(r);
                r.out.array(0);
            }
            case "stats" -> {
                ConnectionCommands.arity(r, 2, "function|stats");
                r.out.map(2);
                r.out.bulk("running_script");
                r.out.nullBulk();
                r.out.bulk("engines");
                r.out.map(1);
                r.out.bulk("LUA");
                r.out.map(2);
                r.out.bulk("libraries_count");
                r.out.integer(0);
                r.out.bulk("functions_count");
                r.out.integer(0);
            }
            case "delete" -> {
                ConnectionCommands.arity(r, 3, "function|delete");
                throw new CommandError("ERR Library not found");
            }
            case "kill" -> {
                ConnectionCommands.arity(r, 2, "function|kill");
                throw new CommandError("NOTBUSY No scripts in execution right now.");
            }
            case "load", "dump", "restore" -> throw new CommandError(NO_LIBRARIES);
            case "help" -> {
                ConnectionCommands.arity(r, 2, "function|help");
                ConnectionCommands.help(
                        r.out,
                        "FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                        "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
                        "    Return general information on all the libraries (Strata has none).",
                        "STATS",
                        "    Return the function running (none) and the engines.",
                        "FLUSH [ASYNC|SYNC]",
                        "    Delete all the libraries (there are none).",
                        "DELETE <LIBRARY NAME>, KILL",
                        "    As Redis, for a server without libraries.",
                        "LOAD, DUMP, RESTORE",
                        "    Not supported yet: Strata runs Lua through EVAL and EVALSHA.",
                        "HELP",
                        "    Print this help.");
            }
            default -> throw CommandError.unknownSubcommand(r.str(1), "function");
        }
    }

    /** Checks LIST's options as Redis does: LIBRARYNAME with a pattern, WITHCODE, once each. */
    private static void list(Request r) {
        boolean withCode = false;
        boolean pattern = false;
        for (int i = 2; i < r.argc(); i++) {
            String opt = r.str(i);
            if (opt.equalsIgnoreCase("withcode") && !withCode) {
                withCode = true;
            } else if (opt.equalsIgnoreCase("libraryname") && !pattern) {
                if (i + 1 == r.argc()) {
                    throw new CommandError("ERR library name argument was not given");
                }
                pattern = true;
                i++;
            } else {
                throw new CommandError("ERR Unknown argument " + opt);
            }
        }
    }
}
