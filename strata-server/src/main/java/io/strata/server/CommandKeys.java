package io.strata.server;

import io.strata.server.acl.KeyAccess;
import io.strata.server.acl.KeySpec;
import io.strata.server.resp.RespWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Where a request's keys are, from its command's key specs ({@link CommandTable.Keys}): for
 * COMMAND GETKEYS and GETKEYSANDFLAGS, and COMMAND INFO's key specifications in Redis 7's form.
 * The scripting commands (EVAL, EVALSHA, their _RO forms, FCALL, FCALL_RO) have movable keys:
 * their count is the argument after the script, and the keys follow it.
 */
final class CommandKeys {
    private CommandKeys() {}

    /** One key: its argument index and what the command does with it ({@link KeyAccess} bits). */
    record Key(int index, int access) {}

    /** The commands whose keys are counted by the argument at index 2 (Redis's keynum key spec). */
    private static final Set<String> NUMKEYS = Set.of("eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro");

    static boolean hasNumkeys(CommandSpec spec) {
        return NUMKEYS.contains(spec.name());
    }

    /** Whether the command names keys at all. */
    static boolean hasKeys(CommandSpec spec) {
        return hasNumkeys(spec) || !spec.keys().specs.isEmpty();
    }

    /**
     * The keys of a request (its command's name at index 0) whose arity is right; a script call's
     * numkeys that is not a count of the arguments there gives none, as in Redis.
     */
    static List<Key> find(CommandSpec spec, byte[][] argv) {
        List<Key> keys = new ArrayList<>();
        if (hasNumkeys(spec)) {
            long n;
            try {
                n = Numbers.parseLong(argv[2]);
            } catch (RuntimeException e) {
                return keys;
            }
            if (n < 0 || n > argv.length - 3) {
                return keys;
            }
            int access = spec.readonly() ? KeyAccess.READS : KeyAccess.READS | KeyAccess.WRITES;
            for (int i = 0; i < n; i++) {
                keys.add(new Key(3 + i, access));
            }
            return keys;
        }
        for (KeySpec k : spec.keys().specs) {
            int access = k.access().flags(argv);
            for (int i = k.first(); i <= k.end(argv.length); i += k.step()) {
                keys.add(new Key(i, access));
            }
        }
        return keys;
    }

    /** GETKEYSANDFLAGS's flags for what a command does with a key, in Redis's words. */
    static List<String> flags(int access) {
        if ((access & KeyAccess.NOT_KEY) != 0) {
            return List.of("not_key");
        }
        boolean reads = (access & KeyAccess.READS) != 0;
        boolean writes = (access & KeyAccess.WRITES) != 0;
        if (reads && writes) {
            return List.of("RW", "access", "update");
        }
        if (writes) {
            return List.of("OW", "update");
        }
        return reads ? List.of("RO", "access") : List.of("RO");
    }

    /** COMMAND INFO's key specifications (element 9): begin_search and find_keys of each spec. */
    static void writeSpecs(RespWriter out, CommandSpec spec) {
        if (hasNumkeys(spec)) {
            out.array(1);
            out.map(3);
            out.bulk("flags");
            List<String> f = spec.readonly() ? List.of("RO", "access") : List.of("RW", "access", "update");
            out.set(f.size());
            f.forEach(out::simple);
            beginSearch(out, 2);
            out.bulk("find_keys");
            out.map(2);
            out.bulk("type");
            out.bulk("keynum");
            out.bulk("spec");
            out.map(3);
            out.bulk("keynumidx");
            out.integer(0);
            out.bulk("firstkey");
            out.integer(1);
            out.bulk("keystep");
            out.integer(1);
            return;
        }
        List<KeySpec> specs = spec.keys().specs;
        out.array(specs.size());
        for (KeySpec k : specs) {
            out.map(3);
            out.bulk("flags");
            // The access of a spec whose use depends on the options (SET ... GET) is shown as without them.
            List<String> f = flags(k.access().flags(new byte[0][]));
            out.set(f.size());
            f.forEach(out::simple);
            beginSearch(out, k.first());
            out.bulk("find_keys");
            out.map(2);
            out.bulk("type");
            out.bulk("range");
            out.bulk("spec");
            out.map(3);
            out.bulk("lastkey");
            out.integer(k.last() >= 0 ? k.last() - k.first() : k.last());
            out.bulk("keystep");
            out.integer(k.step());
            out.bulk("limit");
            out.integer(0);
        }
    }

    private static void beginSearch(RespWriter out, int index) {
        out.bulk("begin_search");
        out.map(2);
        out.bulk("type");
        out.bulk("index");
        out.bulk("spec");
        out.map(1);
        out.bulk("index");
        out.integer(index);
    }
}
