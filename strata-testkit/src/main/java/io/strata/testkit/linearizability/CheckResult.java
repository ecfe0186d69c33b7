package io.strata.testkit.linearizability;

import java.util.Objects;

/** What {@link LinearizabilityChecker#check} found, with a description fit for a test failure message. */
public record CheckResult(Verdict verdict, String description) {
    public enum Verdict {
        /** Every key's history has a linearization. */
        LINEARIZABLE,
        /** Some key's history has none: the description names the key and where the search got stuck. */
        VIOLATION,
        /** No violation was found before the time budget ran out, but not every key was checked to the end. */
        TIMED_OUT
    }

    public CheckResult {
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(description, "description");
    }

    public boolean linearizable() {
        return verdict == Verdict.LINEARIZABLE;
    }

    public boolean timedOut() {
        return verdict == Verdict.TIMED_OUT;
    }

    @Override
    public String toString() {
        return verdict + ": " + description;
    }
}
