package io.strata;

/**
 * The store was used after {@link StrataDb#close()}: every read, write, iterator and snapshot
 * call of a closed store throws it. An {@link IllegalStateException}, since it is the caller's
 * own sequence of calls that is wrong; nothing about the data is in doubt.
 */
public final class StoreClosedException extends IllegalStateException {
    public StoreClosedException(String message) {
        super(message);
    }
}
