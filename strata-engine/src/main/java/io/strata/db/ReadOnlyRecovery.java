package io.strata.db;

import io.strata.Options;
import io.strata.StrataException;
import io.strata.cache.TableCache;
import io.strata.fs.FileSystem;
import io.strata.fs.IoErrors;
import io.strata.fs.ReadableFile;
import io.strata.util.FileNames;
import io.strata.version.VersionSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opening a store read-only ({@link Options#readOnly}): read CURRENT and the MANIFEST, check
 * that the tables exist, and replay the WAL segments the MANIFEST does not mark as flushed
 * into one memtable that stays in memory, however large. Nothing is created, written or
 * deleted: no LOCK, no MANIFEST, no segment, no table; a torn WAL tail stays on disk (it is
 * only skipped), and so do orphan files.
 *
 * <p>No lock is taken, so a process may be writing the store meanwhile. The open then reads
 * one point of the store's history provided the MANIFEST did not change from before CURRENT
 * was read until after the last segment was read: a segment at or above the MANIFEST's
 * logNumber is deleted only after an edit that raises it, and a table only after an edit that
 * drops it, so every file the MANIFEST names was there when opened (and a file stays readable
 * while open, even once deleted). Segments created after the directory was listed hold only
 * writes newer than every replayed one, so the replayed records are a prefix of the writes. If
 * the MANIFEST changed (CURRENT names another, or it grew), the open reads again, at most
 * {@link #MAX_ATTEMPTS} times.
 */
final class ReadOnlyRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(ReadOnlyRecovery.class);
    private static final int MAX_ATTEMPTS = 10;

    private ReadOnlyRecovery() {}

    static Recovery.Result run(Path dir, Options options) {
        FileSystem fs = options.fileSystem();
        try {
            requireStore(fs, dir);
            for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
                Recovery.Result r = attempt(fs, dir, options);
                if (r != null) {
                    return r;
                }
                LOG.info(
                        "{}: the MANIFEST changed while the store was being opened read-only (a writer installed "
                                + "a flush or compaction); reading it again",
                        dir);
            }
            throw new StrataException("cannot open the store at " + dir + " read-only: its MANIFEST changed during "
                    + "each of " + MAX_ATTEMPTS + " attempts to read it (a process writing the store installs "
                    + "flushes or compactions faster than they can be read); try again");
        } catch (IOException e) {
            throw new StrataException("cannot open the store at " + dir + " read-only: " + IoErrors.describe(e), e);
        }
    }

    private static void requireStore(FileSystem fs, Path dir) throws IOException {
        if (fs.exists(dir.resolve(FileNames.CURRENT))) {
            return;
        }
        if (fs.exists(dir)) {
            Recovery.checkNoTablesWithoutCurrent(fs, dir);
        }
        throw new StrataException("no store at " + dir + " (no " + FileNames.CURRENT + " file), and a read-only open "
                + "never creates one (createIfMissing does not apply to it)");
    }

    /** One reading of the store: its parts, or null if the MANIFEST changed meanwhile. */
    private static Recovery.Result attempt(FileSystem fs, Path dir, Options options) throws IOException {
        ManifestState before = ManifestState.read(fs, dir);
        VersionSet versions = null;
        try {
            versions = VersionSet.recover(fs, dir);
            Recovery.checkTablesExist(fs, dir, versions.current());
            List<Long> wals = Recovery.walsToReplay(fs, dir, versions);
            Recovery.Replayed replayed = Recovery.replay(fs, dir, wals, versions.lastSequence(), mem -> mem);
            if (!ManifestState.read(fs, dir).equals(before)) {
                versions.close();
                return null;
            }
            LOG.info(
                    "opened store at {} read-only: replayed {} records from {} WAL segments into memory, "
                            + "last sequence {}",
                    dir,
                    replayed.records(),
                    wals.size(),
                    replayed.lastSequence());
            return new Recovery.Result(
                    null, versions, new TableCache(fs, dir, options), null, replayed.mem(), replayed.lastSequence());
        } catch (IOException | RuntimeException e) {
            if (versions != null) {
                DbImpl.closeQuietly(versions);
            }
            // A file missing because a writer moved on is no error: read again.
            ManifestState after;
            try {
                after = ManifestState.read(fs, dir);
            } catch (IOException second) {
                e.addSuppressed(second);
                throw e;
            }
            if (after.equals(before)) {
                throw e;
            }
            return null;
        }
    }

    /**
     * CURRENT's contents and the size of the MANIFEST it names (-1 if absent). A MANIFEST is
     * only ever appended to, and a new one gets a new name, so while this stays the same no
     * edit was installed.
     */
    private record ManifestState(String current, long manifestSize) {
        static ManifestState read(FileSystem fs, Path dir) throws IOException {
            String current;
            try (ReadableFile f = fs.openReadable(dir.resolve(FileNames.CURRENT))) {
                byte[] bytes = new byte[(int) Math.min(f.size(), 256)];
                f.readFully(0, bytes, 0, bytes.length);
                current = new String(bytes, StandardCharsets.UTF_8);
            }
            String name = current.strip();
            FileNames.Parsed parsed = FileNames.parse(name);
            if (parsed == null || parsed.kind() != FileNames.Kind.MANIFEST) {
                return new ManifestState(current, -1);
            }
            try (ReadableFile f = fs.openReadable(dir.resolve(name))) {
                return new ManifestState(current, f.size());
            } catch (NoSuchFileException e) {
                return new ManifestState(current, -1);
            }
        }
    }
}
