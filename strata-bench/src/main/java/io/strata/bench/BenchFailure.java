package io.strata.bench;

/** A run failed: its engine read back wrong, crashed or hung. The whole invocation fails. */
final class BenchFailure extends RuntimeException {
    BenchFailure(String message) {
        super(message);
    }
}
