package io.strata;

/**
 * A write, flush, compaction or checkpoint was asked of a store opened with {@link
 * Options#readOnly(boolean)}. Nothing was changed; open the store without {@code readOnly} to
 * change it.
 */
public final class ReadOnlyStoreException extends StrataException {
    public ReadOnlyStoreException(String message) {
        super(message);
    }
}
