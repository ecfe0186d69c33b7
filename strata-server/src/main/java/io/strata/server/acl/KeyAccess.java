package io.strata.server.acl;

/**
 * What a command does with the keys of one {@link KeySpec}, which the key patterns must allow:
 * Redis's key-spec flags reduced to what ACL checks (ACCESS needs read permission; INSERT,
 * UPDATE or DELETE need write permission; neither, as for EXISTS, only that some pattern
 * matches the name). A command whose use depends on its options (SET ... GET) decides from its
 * arguments.
 */
@FunctionalInterface
public interface KeyAccess {
    /** The value's bytes are read (or returned). */
    int READS = 1;
    /** The key is created, changed or deleted. */
    int WRITES = 2;

    /**
     * Not a key at all: a shard channel, which COMMAND INFO reports where keys are (Redis's
     * not_key flag) and ACL checks as a channel ({@link AclCheck#channels}), never as a key.
     */
    int NOT_KEY = 4;

    KeyAccess NAME_ONLY = argv -> 0;
    KeyAccess CHANNEL = argv -> NOT_KEY;
    KeyAccess READ = argv -> READS;
    KeyAccess WRITE = argv -> WRITES;
    KeyAccess READ_WRITE = argv -> READS | WRITES;

    /** {@link #READS} and {@link #WRITES}, for this request's arguments (its name first). */
    int flags(byte[][] argv);
}
