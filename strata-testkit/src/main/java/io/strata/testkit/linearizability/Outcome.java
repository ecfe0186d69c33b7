package io.strata.testkit.linearizability;

/** How an operation ended, as its client saw it. */
enum Outcome {
    /** A reply that the command's kind can give when it succeeds: the reply constrains the model. */
    OK,
    /** An error reply that says the command ran and had no effect (an INCR of a non-integer value). */
    ERROR,
    /** Definitely not applied (refused before it was proposed): the checker drops it. */
    FAILED,
    /** Timed out, connection lost, an error of unknown effect: applied at some point after its invocation, or never. */
    UNKNOWN,
    /** No reply by the time the history was read: the checker treats it as {@link #UNKNOWN}. */
    PENDING
}
