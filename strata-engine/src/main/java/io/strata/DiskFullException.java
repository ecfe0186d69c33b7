package io.strata;

/**
 * A write failed because the device holding the store is full: nothing of this write was
 * written, the data written before is safe, and writes succeed again once space is freed (the
 * background flushes and compactions that met the full disk retry by themselves). The cause is
 * the I/O error. A full disk during an fsync of the write-ahead log is a {@link
 * WritesStoppedException} instead, since after a failed fsync only a reopen can tell what the
 * log holds.
 */
public final class DiskFullException extends StrataException {
    public DiskFullException(String message, Throwable cause) {
        super(message, cause);
    }
}
