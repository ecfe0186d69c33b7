package io.strata.stress;

/** The store did something the expected state rules out (or the run cannot go on): the run fails with this message. */
final class StressFailure extends RuntimeException {
    StressFailure(String message) {
        super(message);
    }
}
