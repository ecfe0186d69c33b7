package io.strata.db;

import io.strata.CorruptionException;
import io.strata.Options;
import io.strata.StoreLockedException;
import io.strata.StrataException;
import io.strata.cache.TableCache;
import io.strata.fs.FileSystem;
import io.strata.fs.IoErrors;
import io.strata.fs.LockHeldException;
import io.strata.fs.ReadableFile;
import io.strata.key.InternalKey;
import io.strata.memtable.MemTable;
import io.strata.util.FileNames;
import io.strata.version.FileMetaData;
import io.strata.version.Version;
import io.strata.version.VersionEdit;
import io.strata.version.VersionSet;
import io.strata.wal.LogReader;
import io.strata.wal.LogWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opening a store: lock the directory, read CURRENT and the MANIFEST, replay every WAL
 * segment the MANIFEST does not mark as flushed (oldest first) into level-0 tables, write a
 * fresh MANIFEST naming a new WAL segment, create that segment, then remove files nothing
 * refers to.
 *
 * <p>With the WAL off ({@link Options#disableWal}) the same steps run, so segments a store
 * written with the WAL on left behind are replayed into tables first and nothing is lost; but no
 * new segment is created: the number the MANIFEST names is the active memtable's alone, and
 * every segment below it is removed.
 *
 * <p>Only the newest segment may end in a torn record (older ones were fsynced when the next
 * one started); anywhere else a bad record fails the open with the file and offset. So the
 * new segment is created only after the MANIFEST has retired the replayed ones.
 */
final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);
    /**
     * The smallest snapshot while the store opens: no reader and no snapshot exist yet, so a
     * replayed memtable's table needs each key's newest version alone.
     */
    private static final long NO_READER_YET = InternalKey.MAX_SEQUENCE;

    private Recovery() {}

    /**
     * An opened store's parts. {@code dirLock} and {@code wal} are null for a read-only open
     * ({@code wal} also with the WAL off);
     * {@code active} is the memtable that takes the next write (read-only: the replayed WAL).
     */
    record Result(
            Closeable dirLock,
            VersionSet versions,
            TableCache tables,
            LogWriter wal,
            MemTable active,
            long lastSequence) {}

    /** Decides, after each replayed record, which memtable the next one goes into. */
    @FunctionalInterface
    interface ReplayTarget {
        MemTable next(MemTable current) throws IOException;
    }

    /** What a replay left: the memtable of the last records, the newest sequence, records read. */
    record Replayed(MemTable mem, long lastSequence, long records) {}

    static Result run(Path dir, Options options) {
        FileSystem fs = options.fileSystem();
        Closeable lock = null;
        VersionSet versions = null;
        LogWriter wal = null;
        VersionEdit edit = new VersionEdit();
        boolean editLogged = false;
        try {
            if (!fs.exists(dir.resolve(FileNames.CURRENT)) && !options.createIfMissing()) {
                throw new StrataException("no store at " + dir + " (no CURRENT file) and createIfMissing is false");
            }
            fs.createDirectories(dir);
            try {
                lock = fs.lock(dir.resolve(FileNames.LOCK));
            } catch (LockHeldException e) {
                throw new StoreLockedException(
                        "cannot open the store at " + dir + ": it is already open (" + e.getMessage() + ")", e);
            }
            boolean exists = fs.exists(dir.resolve(FileNames.CURRENT));
            if (exists && options.errorIfExists()) {
                throw new StrataException("a store already exists at " + dir + " and errorIfExists is set");
            }
            if (!exists) {
                checkNoTablesWithoutCurrent(fs, dir);
            }
            versions = exists ? VersionSet.recover(fs, dir) : VersionSet.create(fs, dir);
            checkTablesExist(fs, dir, versions.current());

            List<Long> wals = walsToReplay(fs, dir, versions);
            Replayed replayed =
                    replay(fs, dir, wals, versions.lastSequence(), spillToLevel0(edit, versions, dir, options));
            if (!replayed.mem().isEmpty()) {
                edit.addFile(
                        0,
                        Level0Writer.write(replayed.mem(), versions.newFileNumber(), fs, dir, options, NO_READER_YET));
            }
            // The MANIFEST names the new segment before the segment exists, so a crash or
            // failure here never leaves a segment newer than the replayed ones. (The torn-tail
            // rule also tolerates empty newer segments; this order keeps even those away.)
            long walNumber = versions.newFileNumber();
            // A failed edit may have reached the disk, so from here its tables are kept.
            editLogged = true;
            versions.logAndApply(edit.logNumber(walNumber).lastSequence(replayed.lastSequence()));
            if (!options.disableWal()) {
                wal = DbImpl.createWal(fs, dir, walNumber);
            }
            deleteObsoleteFiles(fs, dir, versions, walNumber);
            LOG.info(
                    "opened store at {}: replayed {} records from {} WAL segments, last sequence {}{}",
                    dir,
                    replayed.records(),
                    wals.size(),
                    replayed.lastSequence(),
                    options.disableWal() ? "; the write-ahead log is off" : "");
            return new Result(
                    lock,
                    versions,
                    new TableCache(fs, dir, options),
                    wal,
                    new MemTable(walNumber),
                    replayed.lastSequence());
        } catch (IOException | RuntimeException e) {
            if (!editLogged) {
                removeReplayedTables(fs, dir, edit, e);
            }
            closeAll(wal, versions, lock);
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new StrataException(
                    "cannot open the store at " + dir + ": " + IoErrors.describe(e)
                            + (IoErrors.isNotWritable(e)
                                    ? " (opening a store writes to its directory, which must be writable; "
                                            + "Options.readOnly opens it without writing)"
                                    : IoErrors.isNoSpace(e)
                                            ? " (no data was lost; open it again once space is freed)"
                                            : ""),
                    e);
        }
    }

    /**
     * The WAL segments the MANIFEST does not mark as flushed (numbered at or above its
     * logNumber), ascending. Every numbered file found is marked used, so new numbers pass it.
     */
    static List<Long> walsToReplay(FileSystem fs, Path dir, VersionSet versions) throws IOException {
        List<Long> wals = new ArrayList<>();
        for (String name : fs.list(dir)) {
            FileNames.Parsed p = FileNames.parse(name);
            if (p != null && p.number() >= 0) {
                versions.markFileNumberUsed(p.number());
                if (p.kind() == FileNames.Kind.WAL && p.number() >= versions.logNumber()) {
                    wals.add(p.number());
                }
            }
        }
        wals.sort(null);
        return wals;
    }

    /**
     * Replays {@code wals} (ascending) into memtables, starting above {@code lastSequence};
     * {@code target} sees the memtable after each record. Only the newest non-empty segment
     * may end in a torn record, which is dropped (and logged), never cut off the file.
     */
    static Replayed replay(FileSystem fs, Path dir, List<Long> wals, long lastSequence, ReplayTarget target)
            throws IOException {
        MemTable mem = new MemTable(0);
        long records = 0;
        int lastWritten = lastNonEmpty(fs, dir, wals);
        for (int i = 0; i < wals.size(); i++) {
            String name = FileNames.wal(wals.get(i));
            try (ReadableFile file = fs.openReadable(dir.resolve(name))) {
                LogReader reader = new LogReader(file, name, i >= lastWritten);
                byte[] rec;
                for (long at = 0; (rec = reader.next()) != null; at = reader.offset(), records++) {
                    long recordStart = at;
                    long last = BatchDecoder.apply(rec, mem, () -> name + " record at offset " + recordStart);
                    lastSequence = Math.max(lastSequence, last);
                    mem = target.next(mem);
                }
                if (reader.droppedTornTail()) {
                    LOG.info("{}: dropped a torn record at the end (the write it held was never acknowledged)", name);
                }
            }
        }
        return new Replayed(mem, lastSequence, records);
    }

    /** Writes each memtable that fills up to a level-0 table, added to {@code edit}. */
    private static ReplayTarget spillToLevel0(VersionEdit edit, VersionSet versions, Path dir, Options options) {
        return mem -> {
            if (mem.approximateMemoryUsage() < options.writeBufferSize()) {
                return mem;
            }
            edit.addFile(
                    0,
                    Level0Writer.write(
                            mem, versions.newFileNumber(), options.fileSystem(), dir, options, NO_READER_YET));
            return new MemTable(0);
        };
    }

    /**
     * Removes the tables a failed open wrote while replaying the WAL (nothing names them), so
     * that the failure leaves the directory as the open found it. Called before the lock is
     * released.
     */
    private static void removeReplayedTables(FileSystem fs, Path dir, VersionEdit edit, Exception failure) {
        for (VersionEdit.LevelFile f : edit.newFiles()) {
            try {
                fs.delete(dir.resolve(FileNames.table(f.file().number())));
            } catch (IOException e) {
                failure.addSuppressed(e); // an orphan; the next open removes it
            }
        }
    }

    /**
     * A directory without CURRENT is a new store, unless it holds tables: then its CURRENT was
     * lost (a crash cannot do that: CURRENT is replaced by rename, and no table is written
     * before the first CURRENT), and a new store would delete the tables as orphans.
     */
    static void checkNoTablesWithoutCurrent(FileSystem fs, Path dir) throws IOException {
        List<String> tables = new ArrayList<>();
        for (String name : fs.list(dir)) {
            FileNames.Parsed p = FileNames.parse(name);
            if (p != null && p.kind() == FileNames.Kind.TABLE) {
                tables.add(name);
            }
        }
        if (!tables.isEmpty()) {
            tables.sort(null);
            throw new CorruptionException(dir + " has no " + FileNames.CURRENT + " file but holds " + tables.size()
                    + " tables (" + String.join(", ", tables.subList(0, Math.min(5, tables.size())))
                    + (tables.size() > 5 ? ", ..." : "") + "): the store's " + FileNames.CURRENT
                    + " is missing; not creating a new store over its data");
        }
    }

    static void checkTablesExist(FileSystem fs, Path dir, Version version) {
        for (int level = 0; level < Version.NUM_LEVELS; level++) {
            for (FileMetaData f : version.files(level)) {
                if (!fs.exists(dir.resolve(FileNames.table(f.number())))) {
                    throw new CorruptionException("the MANIFEST lists " + FileNames.table(f.number()) + " (level "
                            + level + "), which is missing from " + dir);
                }
            }
        }
    }

    /**
     * Index of the newest segment holding any bytes, or -1. A torn record can end only that
     * one: every write after it would sit in a newer segment. Newer segments that are empty
     * (created by a swap or an open that failed before writing to them) do not change that.
     */
    private static int lastNonEmpty(FileSystem fs, Path dir, List<Long> wals) throws IOException {
        for (int i = wals.size() - 1; i >= 0; i--) {
            try (ReadableFile file = fs.openReadable(dir.resolve(FileNames.wal(wals.get(i))))) {
                if (file.size() > 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Removes replayed WAL segments, older MANIFESTs, temp files and tables no MANIFEST names. */
    private static void deleteObsoleteFiles(FileSystem fs, Path dir, VersionSet versions, long walNumber)
            throws IOException {
        Set<Long> live = new HashSet<>();
        Version v = versions.current();
        for (int level = 0; level < Version.NUM_LEVELS; level++) {
            for (FileMetaData f : v.files(level)) {
                live.add(f.number());
            }
        }
        for (String name : fs.list(dir)) {
            FileNames.Parsed p = FileNames.parse(name);
            if (p == null) {
                continue;
            }
            boolean obsolete = switch (p.kind()) {
                case WAL -> p.number() < walNumber;
                case TABLE -> !live.contains(p.number());
                case MANIFEST -> p.number() != versions.manifestNumber();
                case TEMP -> true;
                case CURRENT, LOCK -> false;
            };
            if (obsolete) {
                LOG.debug("removing obsolete file {}", name);
                fs.delete(dir.resolve(name));
            }
        }
    }

    private static void closeAll(Closeable... resources) {
        for (Closeable c : resources) {
            if (c != null) {
                DbImpl.closeQuietly(c);
            }
        }
    }
}
