package io.strata.fs;

import java.io.Closeable;
import java.io.IOException;

/** A file written sequentially from its start. Used by one thread at a time. */
public interface WritableFile extends Closeable {
    /** Appends the bytes; when this returns they have reached the operating system. */
    void append(byte[] data, int off, int len) throws IOException;

    default void append(byte[] data) throws IOException {
        append(data, 0, data.length);
    }

    /** Forces everything appended so far to stable storage. */
    void sync() throws IOException;

    /** Bytes appended so far. */
    long size();

    /** Cuts the file back to {@code size} bytes (used to undo a partly written record). */
    void truncate(long size) throws IOException;
}
