package io.strata;

/**
 * How SSTable data blocks are compressed ({@link Options#compression}). The choice is recorded
 * per block, so a store can change it across restarts and still read every table it wrote
 * before. A block that compression would shrink by less than an eighth is stored as it is.
 */
public enum Compression {
    /** Blocks are stored as they are. */
    NONE,
    /** LZ4 (fast, moderate ratio). */
    LZ4,
    /** Zstandard at level 3 (slower, better ratio). */
    ZSTD
}
