package io.strata.server;

import static io.strata.server.CommandTable.Keys.NONE;

import io.strata.server.acl.KeyAccess;
import io.strata.server.acl.KeySpec;
import io.strata.server.store.StoredValue;
import java.util.Locale;

/**
 * OBJECT ENCODING | FREQ | IDLETIME | REFCOUNT key, and OBJECT HELP. Strata stores every string
 * as its bytes, so ENCODING names the encoding Redis would pick for the same bytes after a SET:
 * int for a 64-bit integer of at most 20 characters in Redis's canonical form, embstr up to 44
 * bytes, raw beyond (Redis also answers raw for a short string that APPEND or SETRANGE grew;
 * Strata does not know how a value was written). Strata tracks neither access times nor
 * frequencies exactly: IDLETIME answers from {@link AccessTimes} (to the second, at most the true
 * idle time), and FREQ answers Redis's error for a server without an LFU policy (Strata's
 * maxmemory-policy is noeviction). REFCOUNT
 * answers as Redis does: 2147483647 for the integers 0 to 9999 (Redis's shared objects), 1 otherwise.
 */
final class ObjectCommand {
    private ObjectCommand() {}

    static final int EMBSTR_LIMIT = 44;
    static final long SHARED_INTEGERS = 10_000;

    /** The key of OBJECT ENCODING etc.: only its name is checked (Redis's RO flag without ACCESS). */
    private static final CommandTable.Keys KEY = CommandTable.Keys.of(KeySpec.at(2, KeyAccess.NAME_ONLY));

    static void register(CommandTable t) {
        t.group("generic")
                .add("object", -2, "", NONE, "2.2.3", ObjectCommand::object)
                .categories("")
                .sub("encoding", 3, "readonly", KEY, "keyspace")
                .sub("freq", 3, "readonly", KEY, "keyspace")
                .sub("idletime", 3, "readonly", KEY, "keyspace")
                .sub("refcount", 3, "readonly", KEY, "keyspace")
                .sub("help", 2, "loading stale", NONE, "keyspace")
                .doc("A container for object introspection commands.");
    }

    static void object(Request r) {
        String sub = r.str(1).toLowerCase(Locale.ROOT);
        if (sub.equals("help")) {
            ConnectionCommands.arity(r, 2, "object|help");
            ConnectionCommands.help(
                    r.out,
                    "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                    "ENCODING <key>",
                    "    Return the kind of internal representation used in order to store the value",
                    "    associated with a <key>.",
                    "FREQ <key>",
                    "    Return the access frequency index of the <key>. The returned integer is",
                    "    proportional to the logarithm of the recent access frequency of the key.",
                    "IDLETIME <key>",
                    "    Return the idle time of the <key>, that is the approximated number of",
                    "    seconds elapsed since the last access to the key (Strata: always 0).",
                    "REFCOUNT <key>",
                    "    Return the number of references of the value associated with the specified",
                    "    <key>.",
                    "HELP",
                    "    Print this help.");
            return;
        }
        if (!sub.equals("encoding") && !sub.equals("freq") && !sub.equals("idletime") && !sub.equals("refcount")) {
            throw CommandError.unknownSubcommand(r.str(1), "object");
        }
        ConnectionCommands.arity(r, 3, "object|" + sub);
        StoredValue v = r.ks.get(r.argv[2]);
        if (v == null) {
            r.out.nullBulk();
            return;
        }
        Long integer = integer(v);
        switch (sub) {
            case "encoding" -> r.out.bulk(integer != null ? "int" : v.length() <= EMBSTR_LIMIT ? "embstr" : "raw");
            case "freq" ->
                throw new CommandError("ERR An LFU maxmemory policy is not selected, access frequency not "
                        + "tracked. Please note that when switching between policies at runtime LRU and LFU data will "
                        + "take some time to adjust.");
            case "idletime" -> r.out.integer(r.server.accessTimes().idleSeconds(r.argv[2], r.ks.now()));
            default ->
                r.out.integer(integer != null && integer >= 0 && integer < SHARED_INTEGERS ? Integer.MAX_VALUE : 1);
        }
    }

    /** The value as Redis's int encoding holds it, or null if it is not one. */
    private static Long integer(StoredValue v) {
        if (v.length() > 20) {
            return null;
        }
        try {
            return Numbers.parseLong(v.raw(), v.offset(), v.length());
        } catch (CommandError e) {
            return null;
        }
    }
}
