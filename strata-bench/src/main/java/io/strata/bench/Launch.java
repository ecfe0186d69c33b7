package io.strata.bench;

/**
 * One child JVM of a plan: a step on a variant in a round. An unmeasured launch loads the store
 * (fillrandom) for a step that needs it loaded when the step before did not leave it so.
 */
record Launch(int round, Variant variant, Step step, boolean fresh, boolean measured) {}
