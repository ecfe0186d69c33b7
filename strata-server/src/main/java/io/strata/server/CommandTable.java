package io.strata.server;

import com.google.errorprone.annotations.CheckReturnValue;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The commands the server knows, by lower-case name. Each command group registers its commands
 * in two lines apiece: what COMMAND INFO reports and the handler, then COMMAND DOCS's summary.
 */
final class CommandTable {
    /** Filled while the server is built, read only afterwards (published with the table's final field). */
    private final Map<String, CommandSpec> commands = new TreeMap<>();

    static CommandTable standard() {
        CommandTable t = new CommandTable();
        ConnectionCommands.register(t);
        ServerCommands.register(t);
        StringCommands.register(t);
        BitCommands.register(t);
        KeyCommands.register(t);
        RenameCommands.register(t);
        ObjectCommand.register(t);
        DumpCommands.register(t);
        WaitCommands.register(t);
        StrataCommands.register(t);
        TransactionCommands.register(t);
        return t;
    }

    /** Which arguments are keys, as COMMAND INFO reports them: first, last (-1: the last argument), step. */
    enum Keys {
        NONE(0, 0, 0),
        ONE(1, 1, 1),
        /** The first two arguments (RENAME, COPY, LCS). */
        TWO(1, 2, 1),
        ALL(1, -1, 1),
        /** Every argument from the second on (BITOP's destkey and sources). */
        AFTER_FIRST(2, -1, 1),
        PAIRS(1, -1, 2);

        final int first;
        final int last;
        final int step;

        Keys(int first, int last, int step) {
            this.first = first;
            this.last = last;
            this.step = step;
        }
    }

    /** Registers the commands of one group (COMMAND DOCS's group, COMMAND INFO's first category). */
    Group group(String name) {
        return new Group(name);
    }

    final class Group {
        private final String name;

        private Group(String name) {
            this.name = name;
        }

        /**
         * Starts the entry of one command; {@link Entry#doc} enters it into the table.
         *
         * @param arity Redis's convention: n = exactly n arguments with the name, -n = at least n
         * @param flags COMMAND INFO's flags, separated by spaces
         * @param since the Redis version that introduced the command (COMMAND DOCS)
         */
        @CheckReturnValue
        Entry add(String command, int arity, String flags, Keys keys, String since, CommandSpec.Handler handler) {
            return new Entry(command, arity, flags, keys, name, since, handler);
        }
    }

    /** A command being registered: {@link #doc} completes it. */
    final class Entry {
        private final String name;
        private final int arity;
        private final List<String> flags;
        private final Keys keys;
        private final String group;
        private final String since;
        private final CommandSpec.Handler handler;
        private boolean batchable;

        private Entry(
                String name,
                int arity,
                String flags,
                Keys keys,
                String group,
                String since,
                CommandSpec.Handler handler) {
            this.name = name;
            this.arity = arity;
            this.flags = flags.isEmpty() ? List.of() : List.copyOf(Arrays.asList(flags.split(" ", -1)));
            this.keys = keys;
            this.group = group;
            this.since = since;
            this.handler = handler;
        }

        /** Its blind writes may be gathered into the connection's write batch ({@link Request#storeBlindWrite}). */
        @CheckReturnValue
        Entry batchable() {
            batchable = true;
            return this;
        }

        /** Enters the command into the table, with COMMAND DOCS's summary. */
        void doc(String summary) {
            CommandSpec spec = new CommandSpec(name, arity, flags, keys, group, since, summary, handler, batchable);
            if (commands.putIfAbsent(name, spec) != null) {
                throw new IllegalStateException("command " + name + " registered twice");
            }
        }
    }

    CommandSpec get(String lowerCaseName) {
        return commands.get(lowerCaseName);
    }

    /** The command {@code argv} names, or null. */
    CommandSpec of(byte[][] argv) {
        return get(new String(argv[0], StandardCharsets.UTF_8).toLowerCase(Locale.ROOT));
    }

    Collection<CommandSpec> all() {
        return commands.values();
    }

    int size() {
        return commands.size();
    }
}
