package io.strata;

/**
 * The store takes no more writes until it is reopened: writing its write-ahead log failed in a
 * way that leaves the log's state unknown (a failed fsync, after which the operating system may
 * have dropped what it had not yet written; or a partial record that could not be removed).
 * Reads go on. Reopening the store recovers every write that reached the log; a write that was
 * told it failed may or may not be among them. The cause is the I/O error.
 */
public final class WritesStoppedException extends StrataException {
    public WritesStoppedException(String message, Throwable cause) {
        super(message, cause);
    }
}
