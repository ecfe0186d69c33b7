package io.strata.bench;

/** What a child JVM reports: its result, or (result null) why it failed. */
record ChildOutcome(RunResult result, String error) {}
