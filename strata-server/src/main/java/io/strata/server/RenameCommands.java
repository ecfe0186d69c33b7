package io.strata.server;

import static io.strata.server.acl.KeyAccess.READ;
import static io.strata.server.acl.KeyAccess.READ_WRITE;
import static io.strata.server.acl.KeyAccess.WRITE;

import io.strata.server.acl.KeySpec;
import io.strata.server.store.Keyspace;
import io.strata.server.store.StoredValue;
import java.util.Arrays;
import java.util.List;

/**
 * RENAME, RENAMENX and COPY: each reads its source and writes its destination (and, renaming,
 * deletes its source) as one {@link io.strata.server.store.Writes}, under the locks of both
 * keys, so no reader sees the value under both names or under neither. The destination keeps
 * the source's TTL, as in Redis.
 */
final class RenameCommands {
    private RenameCommands() {}

    /** The source is read and deleted, the destination written. */
    private static final CommandTable.Keys RENAME_KEYS =
            CommandTable.Keys.of(KeySpec.at(1, READ_WRITE), KeySpec.at(2, WRITE));

    static void register(CommandTable t) {
        CommandTable.Group generic = t.group("generic");
        generic.add("rename", 3, "write", RENAME_KEYS, "1.0.0", r -> rename(r, false))
                .doc("Renames a key and overwrites " + "the destination.");
        generic.add("renamenx", 3, "write fast", RENAME_KEYS, "1.0.0", r -> rename(r, true))
                .doc("Renames a key only when the target key name doesn't exist.");
        generic.add(
                        "copy",
                        -3,
                        "write denyoom",
                        CommandTable.Keys.of(KeySpec.at(1, READ), KeySpec.at(2, WRITE)),
                        "6.2.0",
                        RenameCommands::copy)
                .doc("Copies the value of a key to a new key (Strata has only database 0).");
    }

    static void rename(Request r, boolean nx) {
        byte[] from = r.argv[1];
        byte[] to = r.argv[2];
        try (Keyspace.Locked ignored = r.ks.lock(List.of(from, to))) {
            StoredValue v = r.ks.get(from);
            if (v == null) {
                throw new CommandError("ERR no such key");
            }
            if (Arrays.equals(from, to)) {
                if (nx) {
                    r.out.integer(0);
                } else {
                    r.out.ok();
                }
                return;
            }
            if (nx && r.ks.get(to) != null) {
                r.out.integer(0);
                return;
            }
            StringCommands.checkWritableKey(to);
            r.ks.write(r.ks.writes().delete(from).put(to, v.payload(), v.expireAt()));
            r.created(to); // as Redis, which deletes a destination that exists and adds the key anew
            r.event(KeyspaceEvents.GENERIC, "rename_from", from);
            r.event(KeyspaceEvents.GENERIC, "rename_to", to);
            if (nx) {
                r.out.integer(1);
            } else {
                r.out.ok();
            }
        }
    }

    /** COPY source destination [DB 0] [REPLACE]: 1 if copied, 0 if the source is missing or the destination exists. */
    static void copy(Request r) {
        boolean replace = false;
        for (int j = 3; j < r.argc(); j++) {
            if (r.is(j, "REPLACE")) {
                replace = true;
            } else if (r.is(j, "DB") && j + 1 < r.argc()) {
                long db = r.longArg(++j);
                if (db < Integer.MIN_VALUE || db > Integer.MAX_VALUE) {
                    throw CommandError.NOT_INTEGER;
                }
                if (db != 0) {
                    throw new CommandError("ERR DB index is out of range");
                }
            } else {
                throw CommandError.SYNTAX;
            }
        }
        byte[] from = r.argv[1];
        byte[] to = r.argv[2];
        if (Arrays.equals(from, to)) {
            throw new CommandError("ERR source and destination objects are the same");
        }
        try (Keyspace.Locked ignored = r.ks.lock(List.of(from, to))) {
            StoredValue v = r.ks.get(from);
            if (v == null || (!replace && r.ks.get(to) != null)) {
                r.out.integer(0);
                return;
            }
            StringCommands.checkWritableKey(to);
            r.ks.write(r.ks.writes().put(to, v.payload(), v.expireAt()));
            r.created(to); // (as RENAME)
            r.event(KeyspaceEvents.GENERIC, "copy_to", to);
            r.out.integer(1);
        }
    }
}
