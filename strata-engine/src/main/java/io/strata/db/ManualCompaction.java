package io.strata.db;

/**
 * One step of a {@code compactRange} call, handed to a compaction thread: compact every file
 * of {@link #level} overlapping [begin, end] into the next level, or (when
 * {@link #fileNumber} is set) rewrite that one file of {@link #level} in place. All fields but
 * the request are guarded by the engine's mutex; the caller waits for {@link #done}.
 */
final class ManualCompaction {
    final int level;
    final byte[] begin;
    final byte[] end;
    /** The file to rewrite in place, or -1 for a compaction of the range into the next level. */
    final long fileNumber;

    boolean running;
    boolean done;
    RuntimeException error;

    ManualCompaction(int level, byte[] begin, byte[] end) {
        this.level = level;
        this.begin = begin;
        this.end = end;
        this.fileNumber = -1;
    }

    /** A rewrite of file {@code fileNumber} of {@code level} in place. */
    ManualCompaction(int level, long fileNumber) {
        this.level = level;
        this.begin = null;
        this.end = null;
        this.fileNumber = fileNumber;
    }

    boolean isRewrite() {
        return fileNumber >= 0;
    }
}
