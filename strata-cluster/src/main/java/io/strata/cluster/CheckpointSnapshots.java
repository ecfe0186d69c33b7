package io.strata.cluster;

import io.strata.StrataDb;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;

/**
 * Snapshots as engine checkpoints, in the Raft storage's state-machine directory: one
 * directory {@code snapshot.<term>_<index>} each, an openable copy of the engine (tables hard
 * linked, a MANIFEST of its own) holding exactly the log up to that position.
 *
 * <p>Ratis sends a snapshot as the files {@link #latest} lists, and a follower that receives
 * one gets the whole state-machine directory replaced by them: so nothing live is kept here
 * (the engine's own directory is elsewhere), and the two newest snapshots are kept, because
 * nothing pins a snapshot while a follower is being sent it.
 *
 * <p>Thread-safe: its state is the directory; Ratis calls it from its apply thread (take) and
 * its appender threads (latest).
 */
final class CheckpointSnapshots implements StateMachineStorage {
    private static final Pattern NAME = Pattern.compile("snapshot\\.(\\d+)_(\\d+)");
    static final int KEEP = 2;

    private volatile Path dir;

    @Override
    public void init(RaftStorage storage) throws IOException {
        dir = storage.getStorageDir().getStateMachineDir().toPath();
        Files.createDirectories(dir);
    }

    Path dir() {
        return dir;
    }

    /** The newest snapshot, or null if there is none. */
    @Override
    public SnapshotInfo getLatestSnapshot() {
        return latest();
    }

    FileListSnapshotInfo latest() {
        Path newest = newestDir();
        if (newest == null) {
            return null;
        }
        TermIndex ti = position(newest);
        List<FileInfo> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(newest)) {
            s.sorted().forEach(f -> files.add(new FileInfo(f, null)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list snapshot " + newest + ": " + e.getMessage(), e);
        }
        return new FileListSnapshotInfo(files, ti);
    }

    /** The directory of the newest snapshot, or null. */
    Path newestDir() {
        List<Path> all = snapshots();
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    /** Checkpoints the engine as the snapshot at {@code ti}, and drops all but the newest {@link #KEEP}. */
    void take(StrataDb engine, TermIndex ti) throws IOException {
        Path target = dir.resolve("snapshot." + ti.getTerm() + "_" + ti.getIndex());
        if (!Files.exists(target)) {
            engine.checkpoint(target);
        }
        List<Path> all = snapshots();
        for (int i = 0; i < all.size() - KEEP; i++) {
            deleteTree(all.get(i));
        }
    }

    @Override
    public void format() {
        // nothing: the directory is made by init
    }

    @Override
    public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) {
        // take() keeps the newest KEEP itself
    }

    @Override
    public File getSnapshotDir() {
        return null; // the state-machine directory, as Ratis's default: files travel as sm/<snapshot>/<file>
    }

    static TermIndex position(Path snapshot) {
        Matcher m = NAME.matcher(snapshot.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a snapshot directory: " + snapshot);
        }
        return TermIndex.valueOf(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
    }

    private List<Path> snapshots() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> NAME.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p))
                    .sorted(Comparator.comparingLong((Path p) -> position(p).getIndex()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list snapshots in " + dir + ": " + e.getMessage(), e);
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
