package io.strata.db;

/**
 * One level of a {@code compactRange} call, handed to a compaction thread: compact every file
 * of {@link #level} overlapping [begin, end] into the next level, or ({@link #inPlace}) into
 * new files at the same level. All fields but the request are guarded by the engine's mutex;
 * the caller waits for {@link #done}.
 */
final class ManualCompaction {
    final int level;
    final byte[] begin;
    final byte[] end;
    final boolean inPlace;
    boolean running;
    boolean done;
    RuntimeException error;

    ManualCompaction(int level, byte[] begin, byte[] end, boolean inPlace) {
        this.level = level;
        this.begin = begin;
        this.end = end;
        this.inPlace = inPlace;
    }
}
