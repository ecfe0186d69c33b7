package io.strata;

/**
 * Stored data failed a check (checksum, framing, format). The message names the file and
 * offset where it is known. Strata never returns data that failed a check.
 */
public class CorruptionException extends StrataException {
    public CorruptionException(String message) {
        super(message);
    }

    public CorruptionException(String message, Throwable cause) {
        super(message, cause);
    }
}
