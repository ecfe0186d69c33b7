package io.strata;

/**
 * The store could not be opened because another process, or another open {@link StrataDb} in
 * this one, holds its directory's lock. Nothing was read or changed. Close the other one, or
 * open this one with {@link Options#readOnly(boolean)}, which takes no lock.
 */
public final class StoreLockedException extends StrataException {
    public StoreLockedException(String message, Throwable cause) {
        super(message, cause);
    }
}
