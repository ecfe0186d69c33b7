package io.strata.fs;

import java.io.IOException;

/** {@link FileSystem#lock} found the lock held by another process or another open store. */
public final class LockHeldException extends IOException {
    public LockHeldException(String message) {
        super(message);
    }
}
