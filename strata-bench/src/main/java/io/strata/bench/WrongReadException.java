package io.strata.bench;

/** A store returned what it was never given, or lost what it was: the run fails. */
final class WrongReadException extends RuntimeException {
    WrongReadException(String message) {
        super(message);
    }
}
