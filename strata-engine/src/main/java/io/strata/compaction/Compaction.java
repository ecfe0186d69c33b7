package io.strata.compaction;

import io.strata.key.InternalKey;
import io.strata.version.FileMetaData;
import io.strata.version.Version;
import io.strata.version.VersionEdit;
import java.util.ArrayList;
import java.util.List;

/**
 * One compaction's inputs: files of {@link #level()} and the files of the next level they
 * overlap, merged into new files at the next level. Also tracks, as the merge advances, how
 * much of level + 2 ("grandparents") the current output overlaps, so outputs are cut before a
 * later compaction of them would have to rewrite too much.
 *
 * <p>Not thread safe: made by the picker under the engine's mutex, then used by one
 * compaction thread. The {@link Version} it was picked from must stay referenced while it runs.
 */
public final class Compaction {
    private final Version version;
    private final int level;
    private final int outputLevel;
    private final List<FileMetaData> inputs;
    private final List<FileMetaData> nextLevelInputs;
    private final List<FileMetaData> grandparents;
    private final long maxOutputFileSize;
    private final long maxGrandparentOverlap;

    private int grandparentIndex;
    private boolean seenKey;
    private long overlappedBytes;
    /** Per level below the output level, where {@link #isBaseLevelForKey} resumes (keys ascend). */
    private final int[] levelPointers = new int[Version.NUM_LEVELS];

    /**
     * @param outputLevel {@code level + 1}, or {@code level} itself to rewrite one file in place
     *                    (compactRange's last step, see {@link CompactionPicker#pickRewrite}; then
     *                    there are no next-level inputs)
     */
    Compaction(
            Version version,
            int level,
            int outputLevel,
            List<FileMetaData> inputs,
            List<FileMetaData> nextLevelInputs,
            List<FileMetaData> grandparents,
            long maxOutputFileSize) {
        this.version = version;
        this.level = level;
        this.outputLevel = outputLevel;
        this.inputs = List.copyOf(inputs);
        this.nextLevelInputs = List.copyOf(nextLevelInputs);
        this.grandparents = List.copyOf(grandparents);
        this.maxOutputFileSize = maxOutputFileSize;
        // LevelDB's choice: an output may overlap ten target-size files of the level below.
        this.maxGrandparentOverlap = 10 * maxOutputFileSize;
    }

    public Version version() {
        return version;
    }

    public int level() {
        return level;
    }

    public int outputLevel() {
        return outputLevel;
    }

    public List<FileMetaData> inputs() {
        return inputs;
    }

    public List<FileMetaData> nextLevelInputs() {
        return nextLevelInputs;
    }

    /** The files of {@code outputLevel + 1} that the inputs' key range overlaps. */
    List<FileMetaData> grandparents() {
        return grandparents;
    }

    public List<FileMetaData> allInputs() {
        List<FileMetaData> all = new ArrayList<>(inputs);
        all.addAll(nextLevelInputs);
        return all;
    }

    public long inputBytes() {
        return allInputs().stream().mapToLong(FileMetaData::fileSize).sum();
    }

    public long maxOutputFileSize() {
        return maxOutputFileSize;
    }

    /**
     * A single file with nothing to merge against and little below it can move down a level
     * by a MANIFEST edit alone, without rewriting it.
     */
    public boolean isTrivialMove() {
        return outputLevel != level
                && inputs.size() == 1
                && nextLevelInputs.isEmpty()
                && grandparents.stream().mapToLong(FileMetaData::fileSize).sum() <= maxGrandparentOverlap;
    }

    /** Records the removal of every input file. */
    public void addInputDeletions(VersionEdit edit) {
        inputs.forEach(f -> edit.deleteFile(level, f.number()));
        nextLevelInputs.forEach(f -> edit.deleteFile(outputLevel, f.number()));
    }

    /**
     * Whether no level below the output level may hold {@code userKey}: then a tombstone for
     * it shadows nothing older and can be dropped. Calls must come in ascending key order.
     */
    public boolean isBaseLevelForKey(byte[] userKey) {
        for (int lvl = outputLevel + 1; lvl < Version.NUM_LEVELS; lvl++) {
            List<FileMetaData> files = version.files(lvl);
            while (levelPointers[lvl] < files.size()) {
                FileMetaData f = files.get(levelPointers[lvl]);
                if (InternalKey.compareUserKey(f.largest(), userKey) >= 0) {
                    if (InternalKey.compareUserKey(f.smallest(), userKey) <= 0) {
                        return false;
                    }
                    break;
                }
                levelPointers[lvl]++;
            }
        }
        return true;
    }

    /**
     * Whether the current output should end before {@code internalKey} because it already
     * overlaps too much of the grandparent level. Calls must come for every key, in order.
     */
    public boolean shouldStopBefore(byte[] internalKey) {
        while (grandparentIndex < grandparents.size()
                && InternalKey.compare(
                                internalKey, grandparents.get(grandparentIndex).largest())
                        > 0) {
            if (seenKey) {
                overlappedBytes += grandparents.get(grandparentIndex).fileSize();
            }
            grandparentIndex++;
        }
        seenKey = true;
        if (overlappedBytes > maxGrandparentOverlap) {
            overlappedBytes = 0;
            return true;
        }
        return false;
    }

    @Override
    public String toString() {
        return "compaction L" + level + " " + numbers(inputs) + " + L" + outputLevel + " " + numbers(nextLevelInputs)
                + (outputLevel == level ? " (in place)" : "");
    }

    private static List<Long> numbers(List<FileMetaData> files) {
        return files.stream().map(FileMetaData::number).toList();
    }
}
