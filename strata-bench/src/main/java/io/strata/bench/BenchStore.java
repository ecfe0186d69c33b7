package io.strata.bench;

import java.util.List;

/**
 * The operations a benchmark runs, over one store under test. A store is used by several threads
 * at once (each engine's own calls are thread-safe); cursors are used by one thread each.
 */
interface BenchStore extends AutoCloseable {
    /** Writes one key; the arrays are fresh and not reused by the caller. */
    void put(byte[] key, byte[] value) throws Exception;

    /** The value, or null when absent. */
    byte[] get(byte[] key) throws Exception;

    void delete(byte[] key) throws Exception;

    /** Writes the pairs {@code keys[i] -> values[i]} atomically, as one batch (one transaction). */
    void putBatch(List<byte[]> keys, List<byte[]> values) throws Exception;

    /** A cursor over the whole store, as of now. */
    StoreCursor cursor() throws Exception;

    /** Persists everything buffered (so a read benchmark does not read only memtables). */
    void flush() throws Exception;

    @Override
    void close() throws Exception;
}
