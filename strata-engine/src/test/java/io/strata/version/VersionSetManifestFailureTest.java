package io.strata.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.datadriven.Specs;
import io.strata.fs.FaultInjectionFileSystem;
import io.strata.fs.FaultInjectionFileSystem.Op;
import io.strata.fs.ReadableFile;
import io.strata.util.FileNames;
import io.strata.wal.LogReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link VersionSet#logAndApply} when a MANIFEST write fails, at each step of it: the edit is
 * not installed (the current Version, numbers and live files stay), the next edit writes a
 * whole new MANIFEST (one snapshot record, CURRENT naming it, the old one deleted), and a
 * reopen finds either the state before the failed edit or that state with the whole edit
 * applied, never a part of it; after a power loss, the state before it.
 */
class VersionSetManifestFailureTest {
    private static final String MANIFEST = "MANIFEST-";
    private static final String CURRENT_TMP = FileNames.CURRENT + FileNames.TEMP_SUFFIX;

    /** Where the failed edit fails, and whether a reopen without a power loss then sees it. */
    enum FaultPoint {
        /** Appending the edit to the open MANIFEST (the append is undone). */
        APPEND_EDIT(Op.APPEND, MANIFEST, false, false),
        /** Fsyncing the MANIFEST after the edit: the record is in the file, not durable. */
        SYNC_EDIT(Op.SYNC, MANIFEST, false, true),
        /** Creating the new MANIFEST that the first edit after an open writes. */
        CREATE_MANIFEST(Op.CREATE, MANIFEST, true, false),
        APPEND_SNAPSHOT(Op.APPEND, MANIFEST, true, false),
        SYNC_SNAPSHOT(Op.SYNC, MANIFEST, true, false),
        CREATE_CURRENT_TEMP(Op.CREATE, CURRENT_TMP, true, false),
        /** Renaming the new CURRENT into place. */
        RENAME_CURRENT(Op.RENAME, CURRENT_TMP, true, false),
        /** Fsyncing the directory after the rename: CURRENT names the new MANIFEST, not durably. */
        SYNC_DIRECTORY(Op.SYNC_DIR, "", true, true);

        final Op op;
        /** How the name of the file (or directory) it fails on starts. */
        final String prefix;
        /** The failure is in writing a new MANIFEST, which the first edit after an open does. */
        final boolean newManifest;
        /** A reopen without a power loss finds the failed edit applied (all of it). */
        final boolean reachesDisk;

        FaultPoint(Op op, String prefix, boolean newManifest, boolean reachesDisk) {
            this.op = op;
            this.prefix = prefix;
            this.newManifest = newManifest;
            this.reachesDisk = reachesDisk;
        }
    }

    @TempDir
    Path dir;

    private final FaultInjectionFileSystem fs = new FaultInjectionFileSystem();

    @ParameterizedTest
    @EnumSource(FaultPoint.class)
    void aFailedEditChangesNothingAndTheNextOneWritesAWholeNewManifest(FaultPoint point) throws IOException {
        VersionSet vs = store(point);
        Version before = vs.current();
        String stateBefore = state(vs);
        long manifestBefore = vs.manifestNumber();

        fs.setFault(failFirst(point.op, point.prefix));
        assertThatThrownBy(() -> vs.logAndApply(compactionEdit())).isInstanceOf(IOException.class);
        fs.clearFault();

        assertThat(vs.current()).as("the current Version").isSameAs(before);
        assertThat(state(vs)).isEqualTo(stateBefore);
        assertThat(vs.manifestNumber()).isEqualTo(manifestBefore);
        assertThat(vs.isLive(4)).as("the failed edit's new file").isFalse();
        assertThat(vs.isLive(1)).as("a file the failed edit deletes").isTrue();
        String withFailedEdit = state(before.apply(compactionEdit()), 7, 30);
        assertThat(reopened())
                .as("a reopen right after the failure")
                .isEqualTo(point.reachesDisk ? withFailedEdit : stateBefore);

        vs.logAndApply(new VersionEdit().addFile(2, file(5, "m", "n")).lastSequence(40));

        String stateAfter = state(before.apply(new VersionEdit().addFile(2, file(5, "m", "n"))), 0, 40);
        assertThat(state(vs)).isEqualTo(stateAfter);
        assertThat(vs.manifestNumber()).as("a new MANIFEST").isGreaterThan(manifestBefore);
        assertThat(current()).isEqualTo(FileNames.manifest(vs.manifestNumber()));
        List<VersionEdit> records = records(FileNames.manifest(vs.manifestNumber()));
        assertThat(records).as("the new MANIFEST: one snapshot record").hasSize(1);
        VersionEdit snapshot = records.get(0);
        assertThat(snapshot.deletedFiles()).isEmpty();
        assertThat(snapshot.newFiles()).extracting(f -> f.file().number()).containsExactlyInAnyOrder(1L, 2L, 3L, 5L);
        assertThat(snapshot.lastSequence()).isEqualTo(40);
        assertThat(snapshot.nextFileNumber()).isGreaterThan(vs.manifestNumber());
        assertThat(fs.exists(dir.resolve(FileNames.manifest(manifestBefore))))
                .as("the MANIFEST that CURRENT named before")
                .isFalse();
        vs.close();
        assertThat(reopened()).isEqualTo(stateAfter);
    }

    @ParameterizedTest
    @EnumSource(FaultPoint.class)
    void afterAPowerLossAFailedEditIsGone(FaultPoint point) throws IOException {
        VersionSet vs = store(point);
        String stateBefore = state(vs);

        fs.setFault(failFirst(point.op, point.prefix));
        assertThatThrownBy(() -> vs.logAndApply(compactionEdit())).isInstanceOf(IOException.class);
        fs.crash(true);

        VersionSet recovered = VersionSet.recover(new FaultInjectionFileSystem(), dir);
        assertThat(state(recovered)).isEqualTo(stateBefore);
        recovered.close();
    }

    /** Two failures in a row, in the append and then in the new MANIFEST, then a success. */
    @Test
    void aNewManifestThatFailsTooIsTriedAgainByTheNextEdit() throws IOException {
        VersionSet vs = store(FaultPoint.APPEND_EDIT);
        String stateBefore = state(vs);
        long manifestBefore = vs.manifestNumber();
        fs.setFault(failFirst(Op.APPEND, MANIFEST));
        assertThatThrownBy(() -> vs.logAndApply(compactionEdit())).isInstanceOf(IOException.class);
        fs.setFault(failFirst(Op.RENAME, CURRENT_TMP));
        assertThatThrownBy(() -> vs.logAndApply(compactionEdit())).isInstanceOf(IOException.class);
        fs.clearFault();
        assertThat(state(vs)).isEqualTo(stateBefore);
        assertThat(reopened()).isEqualTo(stateBefore);
        assertThat(manifests()).as("the failed new MANIFEST was removed").containsExactly(manifestBefore);

        vs.logAndApply(compactionEdit());

        assertThat(records(current())).hasSize(1);
        assertThat(manifests()).containsExactly(vs.manifestNumber());
        vs.close();
        assertThat(reopened())
                .isEqualTo(state(
                        Version.empty()
                                .apply(setupEdits()[0])
                                .apply(setupEdits()[1])
                                .apply(compactionEdit()),
                        7,
                        30));
    }

    private static FaultInjectionFileSystem.Fault failFirst(Op op, String prefix) {
        Predicate<Path> which = p -> p.getFileName().toString().startsWith(prefix);
        return FaultInjectionFileSystem.failNth(op, which, 1);
    }

    /**
     * A store whose MANIFEST lists 1 and 2 (level 0) and 3 (level 1): written by a first edit and
     * appended to by a second; reopened when the fault is in writing a new MANIFEST.
     */
    private VersionSet store(FaultPoint point) throws IOException {
        VersionSet vs = VersionSet.create(fs, dir);
        for (VersionEdit e : setupEdits()) {
            vs.logAndApply(e);
        }
        if (!point.newManifest) {
            return vs;
        }
        vs.close();
        return VersionSet.recover(fs, dir);
    }

    private static VersionEdit[] setupEdits() {
        return new VersionEdit[] {
            new VersionEdit()
                    .addFile(0, file(1, "a", "c"))
                    .addFile(0, file(2, "b", "d"))
                    .lastSequence(10),
            new VersionEdit().addFile(1, file(3, "e", "f")).lastSequence(20)
        };
    }

    /** What a compaction installs: level 0's two files merged into 4 at level 1. */
    private static VersionEdit compactionEdit() {
        return new VersionEdit()
                .deleteFile(0, 1)
                .deleteFile(0, 2)
                .addFile(1, file(4, "a", "d"))
                .logNumber(7)
                .lastSequence(30);
    }

    private static FileMetaData file(long number, String smallest, String largest) {
        return new FileMetaData(number, 1024, Specs.key(smallest + "#" + number), Specs.key(largest + "#" + number));
    }

    private static String state(VersionSet vs) {
        return state(vs.current(), vs.logNumber(), vs.lastSequence());
    }

    private static String state(Version v, long logNumber, long lastSequence) {
        return Specs.describe(v) + "log number " + logNumber + ", last sequence " + lastSequence;
    }

    /** The state a reopen of the directory recovers, read through another VersionSet. */
    private String reopened() throws IOException {
        VersionSet other = VersionSet.recover(fs, dir);
        try {
            return state(other);
        } finally {
            other.close();
        }
    }

    private String current() throws IOException {
        String s = Files.readString(dir.resolve(FileNames.CURRENT), StandardCharsets.UTF_8);
        return s.substring(0, s.length() - 1);
    }

    private List<Long> manifests() throws IOException {
        List<Long> out = new ArrayList<>();
        for (String name : fs.list(dir)) {
            FileNames.Parsed p = FileNames.parse(name);
            if (p != null && p.kind() == FileNames.Kind.MANIFEST) {
                out.add(p.number());
            }
        }
        return out;
    }

    private List<VersionEdit> records(String manifest) throws IOException {
        List<VersionEdit> out = new ArrayList<>();
        try (ReadableFile f = fs.openReadable(dir.resolve(manifest))) {
            LogReader reader = new LogReader(f, manifest, false);
            for (byte[] rec; (rec = reader.next()) != null; ) {
                out.add(VersionEdit.decode(rec, manifest));
            }
        }
        return out;
    }
}
