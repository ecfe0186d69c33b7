package io.strata.key;

/** The low byte of an internal key's trailer. */
public final class ValueType {
    private ValueType() {}

    /** A tombstone: the key is deleted as of this sequence. */
    public static final int DELETION = 0;
    /** A live value. */
    public static final int VALUE = 1;
    /**
     * The type used in seek keys: the largest type, so that a seek key with sequence s sorts
     * before every entry of the same user key with sequence at most s.
     */
    public static final int FOR_SEEK = VALUE;

    /**
     * What a point lookup (a memtable's or a table's {@code getValue}) answers for a key whose
     * newest visible entry is a deletion: recognised by identity, never handed to a caller of the
     * store.
     */
    public static final byte[] DELETED = new byte[0];
}
