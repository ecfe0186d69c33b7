package io.strata.version;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.strata.CorruptionException;
import io.strata.fs.FileSystem;
import io.strata.fs.ReadableFile;
import io.strata.fs.WritableFile;
import io.strata.util.FileNames;
import io.strata.wal.LogReader;
import io.strata.wal.LogWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The current {@link Version} and the MANIFEST that makes it durable. {@code CURRENT} names
 * the MANIFEST; the MANIFEST is a log (see {@link io.strata.wal.LogReader}) of
 * {@link VersionEdit}s whose first record is a full snapshot.
 *
 * <p>Locking: {@link #logAndApply} writes and installs one edit at a time under this object's
 * monitor; {@link #current} and the numbers that go with it are volatile, written there after
 * the edit is fsynced and read without the lock. {@link #fileRefs} has its own lock, taken
 * inside this one and never the other way round. After any
 * MANIFEST write failure the next edit starts a fresh MANIFEST (snapshot, fsync, then CURRENT
 * by atomic rename), since the old one may end in a partial record. A failed edit may still
 * have reached the disk, so its caller must not delete the files it names: files that no
 * MANIFEST references are removed at the next open.
 *
 * <p>A table file is live while any installed {@link Version} that lists it is referenced.
 * {@link #fileRefs} counts, per file, the live Versions listing it; when a count reaches zero
 * the file is handed to the obsolete-file handler, which deletes it.
 */
public final class VersionSet implements Closeable {
    private final FileSystem fs;
    private final Path dir;
    /** Thread-safe by itself: numbers are handed out lock-free by flushes and compactions. */
    private final AtomicLong nextFileNumber;

    /** Volatile: replaced under this by {@link #logAndApply}, read lock-free. */
    private volatile Version current;
    /**
     * WAL segments numbered below this hold nothing that is not in an SSTable. Volatile: written
     * under this, read lock-free.
     */
    private volatile long logNumber;
    /** The last sequence recorded in the MANIFEST. Volatile: written under this, read lock-free. */
    private volatile long lastSequence;
    /**
     * The marker of the newest batch whose data the current Version's tables hold, or null if no
     * flush recorded one: carried from edit to edit and into every snapshot record. Never handed
     * out (callers get copies). Volatile: written under this, read lock-free.
     */
    private volatile byte[] marker;
    /** The MANIFEST being appended to, or null when the next edit must start a new one. */
    @GuardedBy("this")
    private LogWriter manifest;
    /** The MANIFEST that CURRENT names. Volatile: written under this, read lock-free. */
    private volatile long manifestNumber;
    /** Per table file number, how many live Versions list it. */
    @GuardedBy("fileRefs")
    private final Map<Long, Integer> fileRefs = new HashMap<>();
    /**
     * Called, with neither this nor {@link #fileRefs} held, with each file no live Version lists
     * any more (in the thread that dropped the last reference). Volatile: set once at open.
     */
    private volatile Consumer<FileMetaData> obsoleteFileHandler = f -> {};

    private VersionSet(
            FileSystem fs,
            Path dir,
            Version current,
            long nextFileNumber,
            long logNumber,
            long lastSequence,
            byte[] marker) {
        this.fs = fs;
        this.dir = dir;
        this.current = current;
        this.nextFileNumber = new AtomicLong(nextFileNumber);
        this.logNumber = logNumber;
        this.lastSequence = lastSequence;
        this.marker = marker;
        install(current);
    }

    /** A version set for a new store; the first {@link #logAndApply} writes its MANIFEST. */
    public static VersionSet create(FileSystem fs, Path dir) {
        return new VersionSet(fs, dir, Version.empty(), 1, 0, 0, null);
    }

    /** Reads CURRENT and the MANIFEST it names. The next edit starts a new MANIFEST. */
    public static VersionSet recover(FileSystem fs, Path dir) throws IOException {
        String manifestName = readCurrent(fs, dir);
        Version version = Version.empty();
        long nextFile = -1;
        long logNumber = 0;
        long lastSequence = 0;
        byte[] marker = null;
        boolean any = false;
        try (ReadableFile file = fs.openReadable(dir.resolve(manifestName))) {
            LogReader reader = new LogReader(file, manifestName, true);
            for (byte[] rec; (rec = reader.next()) != null; ) {
                VersionEdit edit = VersionEdit.decode(rec, manifestName + " at offset " + reader.offset());
                version = version.apply(edit);
                nextFile = edit.nextFileNumber() >= 0 ? edit.nextFileNumber() : nextFile;
                logNumber = edit.logNumber() >= 0 ? edit.logNumber() : logNumber;
                lastSequence = edit.lastSequence() >= 0 ? edit.lastSequence() : lastSequence;
                marker = edit.marker() != null ? edit.marker() : marker;
                any = true;
            }
        }
        if (!any || nextFile < 0) {
            throw new CorruptionException(manifestName + ": no complete snapshot record");
        }
        long manifestNumber = FileNames.parse(manifestName).number();
        VersionSet vs = new VersionSet(
                fs, dir, version, Math.max(nextFile, manifestNumber + 1), logNumber, lastSequence, marker);
        vs.manifestNumber = manifestNumber;
        return vs;
    }

    private static String readCurrent(FileSystem fs, Path dir) throws IOException {
        byte[] bytes;
        try (ReadableFile file = fs.openReadable(dir.resolve(FileNames.CURRENT))) {
            long size = file.size();
            if (size > 256) {
                throw new CorruptionException(FileNames.CURRENT + ": " + size + " bytes, too long to name a manifest");
            }
            bytes = new byte[(int) size];
            file.readFully(0, bytes, 0, bytes.length);
        }
        String name = new String(bytes, StandardCharsets.UTF_8);
        if (!name.endsWith("\n")) {
            throw new CorruptionException(FileNames.CURRENT + ": does not end in a newline");
        }
        name = name.substring(0, name.length() - 1);
        FileNames.Parsed parsed = FileNames.parse(name);
        if (parsed == null || parsed.kind() != FileNames.Kind.MANIFEST) {
            throw new CorruptionException(FileNames.CURRENT + ": '" + name + "' is not a manifest name");
        }
        if (!fs.exists(dir.resolve(name))) {
            throw new CorruptionException(FileNames.CURRENT + " names " + name + ", which does not exist");
        }
        return name;
    }

    public Version current() {
        return current;
    }

    /** Sets who deletes table files that no live Version lists (until then they stay). */
    public void onObsoleteFile(Consumer<FileMetaData> handler) {
        this.obsoleteFileHandler = handler;
    }

    private void install(Version v) {
        synchronized (fileRefs) {
            for (int level = 0; level < Version.NUM_LEVELS; level++) {
                for (FileMetaData f : v.files(level)) {
                    fileRefs.merge(f.number(), 1, Integer::sum);
                }
            }
        }
        v.install(this::released);
    }

    private void released(Version v) {
        List<FileMetaData> obsolete = new ArrayList<>();
        synchronized (fileRefs) {
            for (int level = 0; level < Version.NUM_LEVELS; level++) {
                for (FileMetaData f : v.files(level)) {
                    if (fileRefs.merge(f.number(), -1, Integer::sum) == 0) {
                        fileRefs.remove(f.number());
                        obsolete.add(f);
                    }
                }
            }
        }
        obsolete.forEach(obsoleteFileHandler);
    }

    /** Whether a live Version lists the table file {@code number}. */
    public boolean isLive(long number) {
        synchronized (fileRefs) {
            return fileRefs.containsKey(number);
        }
    }

    public long newFileNumber() {
        return nextFileNumber.getAndIncrement();
    }

    /** Makes sure numbers handed out later are above {@code number} (a file found on disk). */
    public void markFileNumberUsed(long number) {
        nextFileNumber.accumulateAndGet(number + 1, Math::max);
    }

    public long logNumber() {
        return logNumber;
    }

    public long lastSequence() {
        return lastSequence;
    }

    /** A copy of the marker the MANIFEST records now (see {@link VersionEdit#marker(byte[])}), or null. */
    public byte[] marker() {
        byte[] m = marker;
        return m == null ? null : m.clone();
    }

    public long manifestNumber() {
        return manifestNumber;
    }

    /**
     * Makes the edit durable in the MANIFEST and installs the resulting Version. On failure
     * nothing is installed and the exception is thrown; the caller may retry.
     */
    public Version logAndApply(VersionEdit edit) throws IOException {
        Version next;
        Version replaced;
        synchronized (this) {
            next = current.apply(edit);
            long newLogNumber = edit.logNumber() >= 0 ? edit.logNumber() : logNumber;
            long newLastSequence = Math.max(lastSequence, edit.lastSequence());
            byte[] newMarker = edit.marker() != null ? edit.marker().clone() : marker;
            edit.nextFileNumber(nextFileNumber.get());
            if (manifest == null) {
                startManifest(snapshot(next, newLogNumber, newLastSequence, newMarker));
            } else {
                try {
                    manifest.addRecord(edit.encode());
                    manifest.sync();
                } catch (IOException e) {
                    closeManifestQuietly();
                    throw e;
                }
            }
            install(next);
            replaced = current;
            current = next;
            logNumber = newLogNumber;
            lastSequence = newLastSequence;
            marker = newMarker;
        }
        // Without the lock: this may drop the replaced Version's last reference, and then the
        // obsolete-file handler deletes files.
        replaced.unref();
        return next;
    }

    private static VersionEdit snapshot(Version v, long logNumber, long lastSequence, byte[] marker) {
        VersionEdit snap = new VersionEdit()
                .logNumber(logNumber)
                .lastSequence(lastSequence)
                .marker(marker);
        for (int level = 0; level < Version.NUM_LEVELS; level++) {
            for (FileMetaData f : v.files(level)) {
                snap.addFile(level, f);
            }
        }
        return snap;
    }

    /** Writes a new MANIFEST holding {@code snap}, points CURRENT at it, deletes the old one. */
    @GuardedBy("this")
    private void startManifest(VersionEdit snap) throws IOException {
        assert Thread.holdsLock(this);
        long number = newFileNumber();
        snap.nextFileNumber(nextFileNumber.get());
        LogWriter writer = writeManifest(fs, dir, number, snap);
        long old = manifestNumber;
        manifest = writer;
        manifestNumber = number;
        if (old > 0) {
            // The old MANIFEST is no longer named by CURRENT; an orphan left by a failed delete
            // is removed at the next open.
            try {
                fs.delete(dir.resolve(FileNames.manifest(old)));
            } catch (IOException ignored) {
                // harmless: see above
            }
        }
    }

    /**
     * Creates {@code MANIFEST-number} in {@code dir} holding {@code snap}, fsyncs it, and points
     * CURRENT at it (temp file, fsync, atomic rename, directory fsync). Returns the open
     * MANIFEST for further edits. On failure a MANIFEST that CURRENT may already name stays
     * (the next open keeps whichever one CURRENT names and removes the other).
     */
    static LogWriter writeManifest(FileSystem fs, Path dir, long number, VersionEdit snap) throws IOException {
        String name = FileNames.manifest(number);
        Path path = dir.resolve(name);
        LogWriter writer = new LogWriter(fs.create(path));
        boolean named = false;
        try {
            writer.addRecord(snap.encode());
            writer.sync();
            Path tmp = dir.resolve(FileNames.CURRENT + FileNames.TEMP_SUFFIX);
            try (WritableFile f = fs.create(tmp)) {
                f.append((name + "\n").getBytes(StandardCharsets.UTF_8));
                f.sync();
            }
            fs.rename(tmp, dir.resolve(FileNames.CURRENT));
            named = true;
            fs.syncDirectory(dir);
            return writer;
        } catch (IOException e) {
            try {
                writer.close();
                if (!named) {
                    fs.delete(path);
                }
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /**
     * A consistent view for a checkpoint: a referenced Version and the numbers and marker that go
     * with it (the marker is not handed out beyond the checkpoint's MANIFEST).
     */
    @SuppressWarnings("ArrayRecordComponent") // the marker is only encoded, never compared or changed
    public record Pinned(Version version, long logNumber, long lastSequence, byte[] marker) {}

    /**
     * The current Version, referenced (the caller unrefs it), with the log number, last sequence
     * and marker of the same install: every WAL segment below that log number is in its tables,
     * and so is the data of the batch the marker names and of every batch before it.
     */
    public synchronized Pinned pin() {
        current.ref();
        return new Pinned(current, logNumber, lastSequence, marker);
    }

    /**
     * Writes a store description into {@code target}: a MANIFEST holding {@code pinned}'s files
     * (which the caller places there) and CURRENT naming it. The MANIFEST takes a number above
     * every file this store has made, so it collides with none of them.
     */
    public void writeCheckpointManifest(FileSystem targetFs, Path target, Pinned pinned) throws IOException {
        long number = newFileNumber();
        VersionEdit snap = snapshot(pinned.version(), pinned.logNumber(), pinned.lastSequence(), pinned.marker())
                .nextFileNumber(number + 1);
        writeManifest(targetFs, target, number, snap).close();
    }

    @GuardedBy("this")
    private void closeManifestQuietly() {
        assert Thread.holdsLock(this);
        try {
            manifest.close();
        } catch (IOException ignored) {
            // It is abandoned either way; the next edit starts a new one.
        }
        manifest = null;
    }

    @Override
    public synchronized void close() throws IOException {
        if (manifest != null) {
            manifest.close();
            manifest = null;
        }
    }
}
