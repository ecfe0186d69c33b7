package io.strata.server.acl;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every command and subcommand ACL rules can name, by the names the server was built with (a
 * command renamed in the config file is still named in rules as before, as in Redis).
 * Immutable.
 */
public final class CommandCatalog {
    /** By id. */
    private final List<CommandAcl> commands;

    private final Map<String, CommandAcl> byName = new TreeMap<>();
    /** Container name → its subcommands. */
    private final Map<String, List<CommandAcl>> subcommands = new TreeMap<>();

    /** @param commands with ids 0, 1, ... in this order */
    public CommandCatalog(List<CommandAcl> commands) {
        this.commands = List.copyOf(commands);
        for (int i = 0; i < commands.size(); i++) {
            CommandAcl c = commands.get(i);
            if (c.id() != i) {
                throw new IllegalArgumentException("command " + c.name() + " has id " + c.id() + " at " + i);
            }
            if (byName.put(c.name(), c) != null) {
                throw new IllegalArgumentException("command " + c.name() + " twice");
            }
            if (c.container() != null) {
                subcommands
                        .computeIfAbsent(c.container(), k -> new ArrayList<>())
                        .add(c);
            }
        }
    }

    public int size() {
        return commands.size();
    }

    public List<CommandAcl> all() {
        return commands;
    }

    /** The command or subcommand ({@code config|get}) of this name, in any case; null if none. */
    public CommandAcl byName(String name) {
        return byName.get(name.toLowerCase(Locale.ROOT));
    }

    /** A container's subcommands; empty for a command without any. */
    public List<CommandAcl> subcommands(CommandAcl container) {
        return subcommands.getOrDefault(container.name(), List.of());
    }

    /** The names of the commands and subcommands in a category, sorted (ACL CAT name). */
    public List<String> inCategory(AclCategory category) {
        List<String> names = new ArrayList<>();
        for (CommandAcl c : byName.values()) {
            if (c.categories().contains(category)) {
                names.add(c.name());
            }
        }
        return names;
    }
}
