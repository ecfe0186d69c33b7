package io.strata.bench;

import io.strata.Compression;

/**
 * How every engine under test is configured, alike where the engine has the setting: the
 * memtable (write buffer) size, the block cache, bloom filter bits per key, the table block
 * size, the block compression, and whether every write waits for an fsync. {@code expectedBytes}
 * is the user data the run may write, for an engine that must size its file up front (LMDB).
 */
record StoreOptions(
        Compression compression,
        long writeBufferBytes,
        long cacheBytes,
        int bloomBitsPerKey,
        int blockSize,
        boolean sync,
        long expectedBytes) {}
