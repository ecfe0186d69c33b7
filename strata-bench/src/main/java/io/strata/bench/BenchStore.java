package io.strata.bench;

/** The operations a benchmark runs, over one store under test. */
interface BenchStore extends AutoCloseable {
    void put(byte[] key, byte[] value) throws Exception;

    /** The value, or null when absent. */
    byte[] get(byte[] key) throws Exception;

    /** Persists everything buffered (so a read benchmark does not read only memtables). */
    void flush() throws Exception;

    /** What the store says of its own work so far (e.g. write amplification), or "". */
    default String describe() {
        return "";
    }

    @Override
    void close() throws Exception;
}
