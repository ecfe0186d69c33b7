package io.strata;

/** Option sets tests share. */
public final class TestOptions {
    private TestOptions() {}

    /**
     * {@code options} with automatic compaction out of the way (level-0 triggers far above
     * what a test makes), for tests that inspect flushed tables as written.
     */
    public static Options withoutCompaction(Options options) {
        return options.level0FileNumCompactionTrigger(1000)
                .level0SlowdownWritesTrigger(1000)
                .level0StopWritesTrigger(1000);
    }
}
