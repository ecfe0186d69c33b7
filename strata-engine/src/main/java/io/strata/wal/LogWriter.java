package io.strata.wal;

import io.strata.fs.WritableFile;
import io.strata.util.Checksums;
import io.strata.util.Coding;
import java.io.Closeable;
import java.io.IOException;

/**
 * Appends framed records (see {@link LogFormat}) to a file. Used by one thread at a time: the
 * group-commit leader for a WAL segment, the version-set writer for the MANIFEST.
 */
public final class LogWriter implements Closeable {
    private final WritableFile file;

    public LogWriter(WritableFile file) {
        this.file = file;
    }

    /**
     * Appends one record in a single write to the file. If the append fails, the file is cut
     * back to where the record began so that later records are not preceded by a broken one;
     * if even that fails the returned exception says so and the log must not be used again.
     */
    public void addRecord(byte[] payload) throws IOException {
        if (payload.length > LogFormat.MAX_PAYLOAD) {
            throw new IllegalArgumentException(
                    "log record of " + payload.length + " bytes exceeds the limit of " + LogFormat.MAX_PAYLOAD);
        }
        byte[] record = new byte[LogFormat.HEADER_SIZE + payload.length];
        Coding.putFixed32(record, 4, payload.length);
        System.arraycopy(payload, 0, record, LogFormat.HEADER_SIZE, payload.length);
        Coding.putFixed32(record, 0, Checksums.crc32c(record, 4, record.length - 4));
        long start = file.size();
        try {
            file.append(record, 0, record.length);
        } catch (IOException e) {
            try {
                file.truncate(start);
            } catch (IOException undo) {
                e.addSuppressed(undo);
                throw new BrokenLogException("append failed and the partial record could not be removed", e);
            }
            throw e;
        }
    }

    public void sync() throws IOException {
        file.sync();
    }

    public long size() {
        return file.size();
    }

    @Override
    public void close() throws IOException {
        file.close();
    }

    /** The log holds a partial record it could not remove; nothing more may be appended. */
    public static final class BrokenLogException extends IOException {
        BrokenLogException(String message, IOException cause) {
            super(message, cause);
        }
    }
}
