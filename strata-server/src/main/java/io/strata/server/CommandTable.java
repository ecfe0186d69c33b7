package io.strata.server;

import com.google.errorprone.annotations.CheckReturnValue;
import io.strata.server.acl.AclCategory;
import io.strata.server.acl.CommandAcl;
import io.strata.server.acl.CommandCatalog;
import io.strata.server.acl.KeyAccess;
import io.strata.server.acl.KeySpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The commands the server knows, by lower-case name. Each command group registers its commands
 * in two lines apiece: what COMMAND INFO reports and the handler, then COMMAND DOCS's summary.
 *
 * <p>A command's ACL categories are Redis's: those its flags imply (write → @write, readonly →
 * @read unless it is @scripting, admin → @admin and @dangerous, fast → @fast, else @slow), plus its group's (string,
 * bitmap, keyspace for the generic commands, connection) unless the entry names others.
 */
final class CommandTable {
    /**
     * Filled while the server is built (registration, then the config file's rename-command), read
     * only afterwards (published with the server's final field).
     */
    private final Map<String, CommandSpec> commands = new TreeMap<>();
    /** Every command and subcommand, in the order of their ACL ids. */
    private final List<CommandAcl> acls = new ArrayList<>();

    /** Set by {@link #standard} once every command is registered. */
    private CommandCatalog catalog;

    static CommandTable standard() {
        CommandTable t = new CommandTable();
        ConnectionCommands.register(t);
        ServerCommands.register(t);
        AclCommands.register(t);
        StringCommands.register(t);
        BitCommands.register(t);
        KeyCommands.register(t);
        RenameCommands.register(t);
        ObjectCommand.register(t);
        MemoryCommand.register(t);
        SlowlogCommand.register(t);
        DumpCommands.register(t);
        WaitCommands.register(t);
        StrataCommands.register(t);
        TransactionCommands.register(t);
        ScriptCommands.register(t);
        FunctionCommands.register(t);
        PubSubCommands.register(t);
        t.catalog = new CommandCatalog(t.acls);
        return t;
    }

    /**
     * Which arguments are keys: COMMAND INFO's first, last (-1: the last argument) and step, and
     * for ACL what the command does with each range's keys. Immutable.
     */
    static final class Keys {
        static final Keys NONE = new Keys(List.of());

        final int first;
        final int last;
        final int step;
        final List<KeySpec> specs;

        private Keys(List<KeySpec> specs) {
            this.specs = List.copyOf(specs);
            if (specs.isEmpty()) {
                first = 0;
                last = 0;
                step = 0;
            } else {
                // Redis's legacy range covers every spec: from the first key to the last.
                first = specs.get(0).first();
                last = specs.get(specs.size() - 1).last();
                step = specs.size() == 1 ? specs.get(0).step() : 1;
            }
        }

        static Keys of(KeySpec... specs) {
            return new Keys(Arrays.asList(specs));
        }

        /** The first argument. */
        static Keys one(KeyAccess access) {
            return of(KeySpec.at(1, access));
        }

        /** Every argument. */
        static Keys all(KeyAccess access) {
            return of(new KeySpec(1, -1, 1, access));
        }

        /** Every other argument from the first (MSET's key-value pairs). */
        static Keys pairs(KeyAccess access) {
            return of(new KeySpec(1, -1, 2, access));
        }
    }

    /** Registers the commands of one group (COMMAND DOCS's group; for ACL its category). */
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

    /** The ACL category of a group's commands, unless an entry names others. */
    private static String groupCategory(String group) {
        return switch (group) {
            case "string", "bitmap", "connection" -> group;
            case "generic" -> "keyspace";
            case "cluster" -> "connection";
            case "transactions" -> "transaction";
            case "pubsub" -> "pubsub";
            default -> "";
        };
    }

    /** A subcommand being registered with its container. */
    private record Sub(String name, int arity, List<String> flags, Keys keys, String categories) {}

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
        private String categories;
        private boolean readsUnnamedKeys;
        private final List<Sub> subs = new ArrayList<>();

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
            this.flags = words(flags);
            this.keys = keys;
            this.group = group;
            this.since = since;
            this.handler = handler;
            this.categories = groupCategory(group);
        }

        /** Its blind writes may be gathered into the connection's write batch ({@link Request#storeBlindWrite}). */
        @CheckReturnValue
        Entry batchable() {
            batchable = true;
            return this;
        }

        /** Its ACL categories besides those its flags imply, instead of its group's: names separated by spaces. */
        @CheckReturnValue
        Entry categories(String names) {
            categories = names;
            return this;
        }

        /** It reads keys its arguments do not name (a key range): ACL lets only users who may read every key run it. */
        @CheckReturnValue
        Entry readsUnnamedKeys() {
            readsUnnamedKeys = true;
            return this;
        }

        /**
         * A subcommand its handler runs ({@code name|sub} in ACL rules and COMMAND INFO), with its
         * own arity, flags, keys and categories (besides those its flags imply).
         */
        @CheckReturnValue
        Entry sub(String sub, int subArity, String subFlags, Keys subKeys, String subCategories) {
            subs.add(new Sub(sub, subArity, words(subFlags), subKeys, subCategories));
            return this;
        }

        /** Enters the command into the table, with COMMAND DOCS's summary. */
        void doc(String summary) {
            CommandAcl acl = acl(name, null, flags, categories, keys, readsUnnamedKeys);
            Map<String, CommandSpec> subSpecs = new LinkedHashMap<>();
            for (Sub s : subs) {
                String full = name + "|" + s.name();
                CommandAcl subAcl = acl(full, name, s.flags(), s.categories(), s.keys(), false);
                subSpecs.put(
                        s.name(),
                        new CommandSpec(
                                full,
                                s.arity(),
                                s.flags(),
                                s.keys(),
                                group,
                                since,
                                summary,
                                handler,
                                false,
                                subAcl,
                                Map.of(),
                                new CommandStats()));
            }
            CommandSpec spec = new CommandSpec(
                    name,
                    arity,
                    flags,
                    keys,
                    group,
                    since,
                    summary,
                    handler,
                    batchable,
                    acl,
                    Collections.unmodifiableMap(subSpecs),
                    new CommandStats());
            if (commands.putIfAbsent(name, spec) != null) {
                throw new IllegalStateException("command " + name + " registered twice");
            }
        }
    }

    private static List<String> words(String s) {
        return s.isEmpty() ? List.of() : List.of(s.split(" ", -1));
    }

    /** The next ACL id's entry: the categories the flags imply plus the explicit ones. */
    private CommandAcl acl(
            String name, String container, List<String> flags, String categories, Keys keys, boolean unnamed) {
        Set<AclCategory> cats = EnumSet.noneOf(AclCategory.class);
        for (String c : words(categories)) {
            AclCategory cat = AclCategory.byName(c);
            if (cat == null) {
                throw new IllegalStateException("command " + name + ": no ACL category " + c);
            }
            cats.add(cat);
        }
        if (flags.contains("write")) {
            cats.add(AclCategory.WRITE);
        }
        if (flags.contains("readonly") && !cats.contains(AclCategory.SCRIPTING)) {
            cats.add(AclCategory.READ); // (not EVAL_RO's: as in Redis, a script's category is @scripting alone)
        }
        if (flags.contains("admin")) {
            cats.add(AclCategory.ADMIN);
            cats.add(AclCategory.DANGEROUS);
        }
        cats.add(flags.contains("fast") ? AclCategory.FAST : AclCategory.SLOW);
        CommandAcl acl =
                new CommandAcl(acls.size(), name, container, cats, keys.specs, unnamed, flags.contains("no_auth"));
        acls.add(acl);
        return acl;
    }

    /**
     * The config file's {@code rename-command from to}: the command answers to {@code to}
     * instead, or to no name if {@code to} is empty. ACL rules, COMMAND INFO and the metrics
     * still name it as before, as in Redis.
     *
     * @throws IllegalArgumentException if there is no command {@code from} or {@code to} is taken
     */
    void rename(String from, String to) {
        CommandSpec spec = commands.remove(from.toLowerCase(Locale.ROOT));
        if (spec == null) {
            throw new IllegalArgumentException("rename-command: no command '" + from + "'");
        }
        if (!to.isEmpty() && commands.putIfAbsent(to.toLowerCase(Locale.ROOT), spec) != null) {
            throw new IllegalArgumentException("rename-command: the command name '" + to + "' is taken");
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

    /** Every command and subcommand as ACL rules name them (renamed ones by their first names). */
    CommandCatalog catalog() {
        return catalog;
    }
}
