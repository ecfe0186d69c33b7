package io.strata.bench;

/**
 * What a child JVM runs: one step on one variant, in {@code dir}, which it first empties when
 * {@code fresh} (else the store there holds what the steps before left).
 */
record ChildRequest(int round, Variant variant, Step step, BenchConfig config, String dir, boolean fresh) {}
