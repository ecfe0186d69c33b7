package io.strata.fs;

import java.io.Closeable;
import java.io.IOException;

/** A file read with positional reads; safe for concurrent use by many threads. */
public interface ReadableFile extends Closeable {
    /**
     * Reads exactly {@code len} bytes at {@code position} into {@code dst}.
     *
     * @throws java.io.EOFException if the file ends before {@code position + len}
     */
    void readFully(long position, byte[] dst, int off, int len) throws IOException;

    long size() throws IOException;
}
