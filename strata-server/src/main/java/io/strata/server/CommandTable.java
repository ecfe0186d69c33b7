package io.strata.server;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The commands the server knows, by lower-case name. */
final class CommandTable {
    private final Map<String, CommandSpec> commands = new TreeMap<>();

    static CommandTable standard() {
        CommandTable t = new CommandTable();
        ConnectionCommands.register(t);
        ServerCommands.register(t);
        StringCommands.register(t);
        StrataCommands.register(t);
        return t;
    }

    void add(
            String name,
            int arity,
            String flags,
            int firstKey,
            int lastKey,
            int step,
            String group,
            String since,
            String summary,
            CommandSpec.Handler handler) {
        List<String> f = flags.isEmpty() ? List.of() : Arrays.asList(flags.split(" "));
        commands.put(
                name,
                new CommandSpec(name, arity, List.copyOf(f), firstKey, lastKey, step, group, since, summary, handler));
    }

    CommandSpec get(String lowerCaseName) {
        return commands.get(lowerCaseName);
    }

    Collection<CommandSpec> all() {
        return commands.values();
    }

    int size() {
        return commands.size();
    }
}
