package io.strata.server.acl;

/**
 * Where some of a command's keys are, as COMMAND INFO's range has them, and what the command
 * does with them.
 *
 * @param first the argument index of the first key (the command's name is 0)
 * @param last the index of the last key: 0 or more counts from the start, -1 is the last
 *     argument, -2 the one before
 * @param step the distance between keys (2 for MSET's key-value pairs)
 */
public record KeySpec(int first, int last, int step, KeyAccess access) {
    public KeySpec {
        if (first < 1 || step < 1 || (last >= 0 && last < first)) {
            throw new IllegalArgumentException("bad key range " + first + ", " + last + ", " + step);
        }
    }

    /** The key at {@code first} alone. */
    public static KeySpec at(int index, KeyAccess access) {
        return new KeySpec(index, index, 1, access);
    }

    /** The keys of this range in a request; arguments past its end are not keys. */
    public int end(int argc) {
        return Math.min(last >= 0 ? last : argc + last, argc - 1);
    }
}
