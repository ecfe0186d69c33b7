package io.strata.compaction;

import io.strata.Options;
import io.strata.key.InternalKey;
import io.strata.version.FileMetaData;
import io.strata.version.Version;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Chooses what to compact (LevelDB's leveled scheme). Each level has a score: level 0 its
 * file count over {@code level0FileNumCompactionTrigger} (every L0 file may overlap every
 * other, so the count is what costs reads); level n its bytes over its target,
 * {@code maxBytesForLevelBase * multiplier^(n-1)}. The level with the highest score of at
 * least 1 is compacted into the next. Within a level the files are taken round-robin by key
 * (a compact pointer per level), so every key range gets its turn. The inputs then grow to the
 * other files of their level that the compaction's range covers, where that takes no more of
 * the next level (see {@link #expanded}).
 *
 * <p>Several compaction threads run at once, so a pick avoids the compactions {@code running}:
 * it takes no file one of them reads, and it writes no key range of a level that one of them is
 * writing into. The second rule is what keeps the files of a level disjoint: a running
 * compaction's outputs may cover a gap between its inputs that no file it holds covers, and
 * another compaction must not put a file of the same level there meanwhile (a file that reached
 * the level above in that gap, moved down, would overlap those outputs). Not thread safe: used
 * under the engine's mutex.
 */
public final class CompactionPicker {
    /** An expanded compaction reads less than this many target files (LevelDB's limit). */
    static final int EXPANDED_LIMIT_FILES = 25;

    private final Options options;
    /** Per level, the largest internal key of the last compaction there, or null. */
    private final byte[][] compactPointers = new byte[Version.NUM_LEVELS][];

    public CompactionPicker(Options options) {
        this.options = options;
    }

    /** Target bytes for {@code level} (1 and up). */
    public long maxBytesForLevel(int level) {
        double bytes = options.maxBytesForLevelBase();
        for (int l = 1; l < level; l++) {
            bytes *= options.maxBytesForLevelMultiplier();
        }
        return (long) Math.min(bytes, Long.MAX_VALUE);
    }

    /** The compaction score of each level but the last (which has nowhere to go). */
    public double[] scores(Version v) {
        double[] scores = new double[Version.NUM_LEVELS - 1];
        scores[0] = (double) v.numFiles(0) / options.level0FileNumCompactionTrigger();
        for (int level = 1; level < scores.length; level++) {
            scores[level] = (double) v.levelBytes(level) / maxBytesForLevel(level);
        }
        return scores;
    }

    /** The most needed compaction that avoids the running ones, or null if none is due. */
    public Compaction pick(Version v, List<Compaction> running) {
        double[] scores = scores(v);
        Integer[] levels = new Integer[scores.length];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = i;
        }
        Arrays.sort(levels, (a, b) -> Double.compare(scores[b], scores[a]));
        for (int level : levels) {
            if (scores[level] < 1) {
                break;
            }
            Compaction c = level == 0 ? pickLevel0(v, running) : pickRoundRobin(v, level, running);
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    /** Every L0 file: they may all overlap, and older ones must go down no later than newer ones. */
    private Compaction pickLevel0(Version v, List<Compaction> running) {
        return build(v, 0, 1, v.files(0), running);
    }

    private Compaction pickRoundRobin(Version v, int level, List<Compaction> running) {
        List<FileMetaData> files = v.files(level);
        byte[] pointer = compactPointers[level];
        int start = 0;
        while (pointer != null
                && start < files.size()
                && InternalKey.compare(files.get(start).largest(), pointer) <= 0) {
            start++;
        }
        for (int i = 0; i < files.size(); i++) {
            Compaction c = build(v, level, level + 1, List.of(files.get((start + i) % files.size())), running);
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    /**
     * A compaction of every file of {@code level} overlapping [begin, end] (user keys, null =
     * open) into the next level, or null when there is none or a running compaction is in the
     * way (the caller waits and retries).
     */
    public Compaction pickRange(Version v, int level, byte[] begin, byte[] end, List<Compaction> running) {
        List<FileMetaData> inputs = v.overlapping(level, begin, end);
        return inputs.isEmpty() ? null : build(v, level, level + 1, inputs, running);
    }

    /**
     * A rewrite of file {@code number} of {@code level} (1 or deeper) into new files at the same
     * level, or null when that level no longer holds the file or a running compaction is in the
     * way (the caller tells which). One file at a time: its outputs stay within its key range, which a compaction
     * from the level above into that range must take it to write to, so none can meanwhile
     * put a file there (a rewrite of several files could write across the gap between two of
     * them, where one could). Level 0 is never rewritten: a new number would make old data
     * look newest there.
     */
    public Compaction pickRewrite(Version v, int level, long number, List<Compaction> running) {
        if (level < 1) {
            throw new IllegalArgumentException("level-0 files are not rewritten in place");
        }
        for (FileMetaData f : v.files(level)) {
            if (f.number() == number) {
                return build(v, level, level, List.of(f), running);
            }
        }
        return null;
    }

    private Compaction build(
            Version v, int level, int outputLevel, List<FileMetaData> inputs, List<Compaction> running) {
        Set<Long> busy = busyFiles(running);
        // Level-0 files overlap one another: two level-0 compactions at once could write
        // overlapping level-1 files, so one waits for the other.
        if (inputs.isEmpty() || anyBusy(level == 0 ? v.files(0) : inputs, busy)) {
            return null;
        }
        if (outputLevel == level) {
            return writesIntoRunning(level, inputs, running)
                    ? null
                    : new Compaction(
                            v, level, level, inputs, List.of(), overlapping(v, level + 1, inputs), targetFileSize());
        }
        List<FileMetaData> next = overlapping(v, outputLevel, inputs);
        if (anyBusy(next, busy)) {
            return null;
        }
        List<FileMetaData> grown = next.isEmpty() ? inputs : expanded(v, level, inputs, next, busy);
        List<FileMetaData> all = new ArrayList<>(grown);
        all.addAll(next);
        if (writesIntoRunning(outputLevel, all, running)) {
            return null;
        }
        return new Compaction(
                v, level, outputLevel, grown, next, overlapping(v, outputLevel + 1, all), targetFileSize());
    }

    /** The numbers of the files the running compactions read. */
    private static Set<Long> busyFiles(List<Compaction> running) {
        Set<Long> busy = new HashSet<>();
        for (Compaction c : running) {
            for (FileMetaData f : c.allInputs()) {
                busy.add(f.number());
            }
        }
        return busy;
    }

    /**
     * Whether a compaction writing {@code files}' key range into {@code outputLevel} would write
     * where a running compaction writes into that level.
     */
    private static boolean writesIntoRunning(int outputLevel, List<FileMetaData> files, List<Compaction> running) {
        byte[][] range = userKeyRange(files);
        for (Compaction c : running) {
            if (c.outputLevel() == outputLevel) {
                byte[][] theirs = userKeyRange(c.allInputs());
                if (Arrays.compareUnsigned(range[0], theirs[1]) <= 0
                        && Arrays.compareUnsigned(theirs[0], range[1]) <= 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * {@code inputs} grown to every file of {@code level} that the whole compaction's range
     * covers, when that takes in no more of the next level (the grown inputs' range meets only
     * {@code next} there), no busy file, and less input than {@link #EXPANDED_LIMIT_FILES}
     * target files; else {@code inputs} (LevelDB's rule). A file left out would later have to
     * rewrite the same next-level files again. No busy file of the next level can lie in the
     * grown range: a compaction holding it would hold a file the range meets.
     */
    private List<FileMetaData> expanded(
            Version v, int level, List<FileMetaData> inputs, List<FileMetaData> next, Set<Long> busy) {
        List<FileMetaData> all = new ArrayList<>(inputs);
        all.addAll(next);
        List<FileMetaData> grown = overlapping(v, level, all);
        if (grown.size() <= inputs.size()
                || anyBusy(grown, busy)
                || bytes(grown) + bytes(next) >= EXPANDED_LIMIT_FILES * targetFileSize()) {
            return inputs;
        }
        return overlapping(v, level + 1, grown).size() == next.size() ? grown : inputs;
    }

    private long targetFileSize() {
        return options.targetFileSize();
    }

    /** The files of {@code level} that the user-key range of {@code files} meets (none past the last level). */
    private static List<FileMetaData> overlapping(Version v, int level, List<FileMetaData> files) {
        if (level >= Version.NUM_LEVELS) {
            return List.of();
        }
        byte[][] range = userKeyRange(files);
        return v.overlapping(level, range[0], range[1]);
    }

    private static boolean anyBusy(List<FileMetaData> files, Set<Long> busy) {
        return files.stream().anyMatch(f -> busy.contains(f.number()));
    }

    private static long bytes(List<FileMetaData> files) {
        return files.stream().mapToLong(FileMetaData::fileSize).sum();
    }

    /** Remembers where a compaction of {@code c}'s level ended, so the next one starts after it. */
    public void compacted(Compaction c) {
        byte[] largest = null;
        for (FileMetaData f : c.inputs()) {
            if (largest == null || InternalKey.compare(f.largest(), largest) > 0) {
                largest = f.largest();
            }
        }
        compactPointers[c.level()] = largest;
    }

    private static byte[][] userKeyRange(List<FileMetaData> files) {
        byte[] smallest = null;
        byte[] largest = null;
        for (FileMetaData f : files) {
            byte[] s = InternalKey.userKey(f.smallest());
            byte[] l = InternalKey.userKey(f.largest());
            if (smallest == null || Arrays.compareUnsigned(s, smallest) < 0) {
                smallest = s;
            }
            if (largest == null || Arrays.compareUnsigned(l, largest) > 0) {
                largest = l;
            }
        }
        return new byte[][] {smallest, largest};
    }
}
