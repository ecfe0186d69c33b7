package io.strata;

/**
 * The base of the errors Strata raises for conditions a caller cannot rule out by checking
 * its arguments: I/O failures, corruption, a store that has stopped taking writes.
 */
public class StrataException extends RuntimeException {
    public StrataException(String message) {
        super(message);
    }

    public StrataException(String message, Throwable cause) {
        super(message, cause);
    }
}
