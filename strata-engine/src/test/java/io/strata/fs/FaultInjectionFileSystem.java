package io.strata.fs;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;

/**
 * A {@link FileSystem} over the real one that can fail, delay or lose I/O, after LevelDB's
 * fault-injection test environment.
 *
 * <ul>
 *   <li>{@link #setFault} installs a hook run before every operation; it may throw (a failed
 *       write, fsync, rename...) or sleep (a slow device). {@link #failNth} and {@link #delay}
 *       build common hooks.</li>
 *   <li>{@link #setDiskFull} and {@link #setReadOnly} make the device full (ENOSPC) or
 *       read-only (EROFS), failing the operations such a device fails, with the JDK's messages.</li>
 *   <li>{@link #crash} simulates a machine crash: every handle and this instance stop working,
 *       and with {@code dropUnsynced} each file is cut back to what was fsynced, and files
 *       whose directory entry was never fsynced disappear (or, for the target of a rename,
 *       go back to the file the rename replaced). Reopen through a new instance.</li>
 * </ul>
 *
 * Locks are kept in memory per instance, so a reopen after a crash can take them again.
 */
public final class FaultInjectionFileSystem implements FileSystem {
    public enum Op {
        CREATE,
        OPEN,
        APPEND,
        SYNC,
        TRUNCATE,
        RENAME,
        DELETE,
        SYNC_DIR,
        LINK,
        LIST,
        MKDIRS,
        LOCK,
        READ
    }

    @FunctionalInterface
    public interface Fault {
        /** Runs before {@code op} on {@code path}; throwing fails the operation. */
        void before(Op op, Path path) throws IOException;
    }

    /** The JDK's message for ENOSPC (the operating system's text for the error). */
    public static final String NO_SPACE = "No space left on device";
    /** The JDK's message for EROFS. */
    public static final String READ_ONLY = "Read-only file system";
    /** Operations other than appends that need free space: a new inode or directory entry. */
    private static final Set<Op> ALLOCATING = EnumSet.of(Op.CREATE, Op.LINK, Op.MKDIRS);

    private final FileSystem base = LocalFileSystem.INSTANCE;
    private volatile Fault fault = (op, path) -> {};
    private volatile boolean dead;
    private volatile boolean skipDeviceSyncs;
    private volatile boolean diskFull;
    private volatile boolean syncsFailWhenFull;
    private volatile boolean readOnly;
    /**
     * Held shared by every mutation while it runs and exclusively by {@link #crash}, so a crash
     * falls between mutations and none lands after it.
     */
    private final ReentrantReadWriteLock crashLock = new ReentrantReadWriteLock();

    private final Map<Op, AtomicInteger> counts = new EnumMap<>(Op.class);
    /** Bytes known durable per file written through this instance. */
    private final Map<Path, Long> syncedLength = new ConcurrentHashMap<>();
    /** Files created (or renamed into place) whose directory entry is not yet durable. */
    private final Set<Path> unsyncedEntries = ConcurrentHashMap.newKeySet();
    /**
     * The durable contents of files that a rename replaced while the rename is not yet
     * durable: a power loss brings them back (a rename is atomic), rather than leaving no file.
     */
    private final Map<Path, byte[]> replacedByRename = new ConcurrentHashMap<>();

    private final Set<Path> locks = new HashSet<>();
    /** Readable handles open now, and the most open at once since {@link #resetMaxOpenReadable}. */
    private final AtomicInteger openReadable = new AtomicInteger();

    private final AtomicInteger maxOpenReadable = new AtomicInteger();

    public FaultInjectionFileSystem() {
        for (Op op : Op.values()) {
            counts.put(op, new AtomicInteger());
        }
    }

    public void setFault(Fault fault) {
        this.fault = fault;
    }

    public void clearFault() {
        this.fault = (op, path) -> {};
    }

    /**
     * Makes the device full, or gives its space back. While full, an append stores half its
     * bytes (a short write) and then fails with ENOSPC, and creating a file, a hard link or a
     * directory fails with ENOSPC; truncates, renames and deletes work. With
     * {@code syncsFail}, an fsync of a file holding unsynced bytes fails with ENOSPC too (as
     * writeback with delayed allocation or thin provisioning can).
     */
    public void setDiskFull(boolean full, boolean syncsFail) {
        this.syncsFailWhenFull = syncsFail;
        this.diskFull = full;
    }

    /** Makes every mutation fail with EROFS (a file system mounted read-only), or lifts that. */
    public void setReadOnly(boolean readOnly) {
        this.readOnly = readOnly;
    }

    /**
     * Records fsyncs and directory fsyncs without passing them to the device: what a
     * {@link #crash} keeps is decided by this instance's records, not by the device, so tests
     * that run many workloads can skip the cost.
     */
    public void skipDeviceSyncs() {
        this.skipDeviceSyncs = true;
    }

    /** Fails the {@code n}-th (1-based) matching {@code op}, counted from now, with an IOException. */
    public static Fault failNth(Op op, Predicate<Path> which, int n) {
        AtomicInteger seen = new AtomicInteger();
        return (o, p) -> {
            if (o == op && which.test(p) && seen.incrementAndGet() == n) {
                throw new IOException("injected failure of " + op + " on " + p.getFileName());
            }
        };
    }

    /** Fails every matching {@code op}. */
    public static Fault failAlways(Op op, Predicate<Path> which) {
        return (o, p) -> {
            if (o == op && which.test(p)) {
                throw new IOException("injected failure of " + op + " on " + p.getFileName());
            }
        };
    }

    /** Sleeps before every matching {@code op}. */
    public static Fault delay(Op op, Predicate<Path> which, long millis) {
        return (o, p) -> {
            if (o == op && which.test(p)) {
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while delayed");
                }
            }
        };
    }

    public static Predicate<Path> named(String suffix) {
        return p -> p.getFileName().toString().endsWith(suffix);
    }

    public int count(Op op) {
        return counts.get(op).get();
    }

    /** Files opened with {@link #openReadable} and not closed yet. */
    public int openReadableFiles() {
        return openReadable.get();
    }

    /** The most readable files open at once since this instance was made or the last reset. */
    public int maxOpenReadableFiles() {
        return maxOpenReadable.get();
    }

    public void resetMaxOpenReadable() {
        maxOpenReadable.set(openReadable.get());
    }

    /**
     * Simulates a crash. Afterwards every call on this instance or its open files throws.
     * With {@code dropUnsynced}, data not fsynced is lost as after a power failure.
     */
    public void crash(boolean dropUnsynced) throws IOException {
        crashLock.writeLock().lock();
        try {
            dead = true;
            if (dropUnsynced) {
                dropUnsynced();
            }
        } finally {
            crashLock.writeLock().unlock();
        }
    }

    private void dropUnsynced() throws IOException {
        for (Path p : unsyncedEntries) {
            if (Files.isDirectory(p)) {
                continue; // a directory keeps its entry (a checkpoint's rename is not undone)
            }
            byte[] previous = replacedByRename.get(p);
            if (previous != null) {
                Files.write(p, previous);
            } else {
                base.delete(p);
            }
            syncedLength.remove(p);
        }
        for (Map.Entry<Path, Long> e : syncedLength.entrySet()) {
            if (base.exists(e.getKey())) {
                try (FileChannel ch = FileChannel.open(e.getKey(), StandardOpenOption.WRITE)) {
                    if (ch.size() > e.getValue()) {
                        ch.truncate(e.getValue());
                    }
                }
            }
        }
    }

    private void check(Op op, Path path) throws IOException {
        checkAlive();
        counts.get(op).incrementAndGet();
        fault.before(op, path);
    }

    private void checkAlive() throws IOException {
        if (dead) {
            throw new IOException("simulated crash: the file system is gone");
        }
    }

    @FunctionalInterface
    private interface Mutation<T> {
        T run() throws IOException;
    }

    /**
     * Runs the hook for {@code op}, then {@code m} under the shared crash lock, so that a crash
     * falls between mutations and none runs after it. A read-only or full file system refuses
     * the mutations it would refuse, as the JDK reports them.
     */
    private <T> T mutate(Op op, Path path, Mutation<T> m) throws IOException {
        check(op, path);
        crashLock.readLock().lock();
        try {
            checkAlive();
            if (readOnly && (op != Op.MKDIRS || !base.exists(path))) {
                throw new FileSystemException(path.toString(), null, READ_ONLY);
            }
            if (diskFull && ALLOCATING.contains(op) && (op != Op.MKDIRS || !base.exists(path))) {
                throw new FileSystemException(path.toString(), null, NO_SPACE);
            }
            return m.run();
        } finally {
            crashLock.readLock().unlock();
        }
    }

    @Override
    public WritableFile create(Path path) throws IOException {
        return mutate(Op.CREATE, path, () -> {
            WritableFile f = base.create(path);
            syncedLength.put(path, 0L);
            unsyncedEntries.add(path);
            return new FaultyWritableFile(path, f);
        });
    }

    @Override
    public ReadableFile openReadable(Path path) throws IOException {
        check(Op.OPEN, path);
        ReadableFile f = base.openReadable(path);
        maxOpenReadable.accumulateAndGet(openReadable.incrementAndGet(), Math::max);
        return new ReadableFile() {
            private final AtomicBoolean closed = new AtomicBoolean();

            @Override
            public void readFully(long position, byte[] dst, int off, int len) throws IOException {
                check(Op.READ, path);
                if (closed.get()) {
                    throw new IOException("read of " + path.getFileName() + " after close");
                }
                f.readFully(position, dst, off, len);
            }

            @Override
            public long size() throws IOException {
                return f.size();
            }

            @Override
            public void close() throws IOException {
                if (closed.compareAndSet(false, true)) {
                    openReadable.decrementAndGet();
                }
                f.close();
            }
        };
    }

    @Override
    public void rename(Path source, Path target) throws IOException {
        mutate(Op.RENAME, source, () -> {
            renameTracked(source, target);
            return null;
        });
    }

    private void renameTracked(Path source, Path target) throws IOException {
        if (!unsyncedEntries.contains(target) && !replacedByRename.containsKey(target) && base.exists(target)) {
            byte[] old = Files.readAllBytes(target);
            Long synced = syncedLength.get(target);
            replacedByRename.put(target, synced == null ? old : Arrays.copyOf(old, (int) Math.min(old.length, synced)));
        }
        base.rename(source, target);
        Long synced = syncedLength.remove(source);
        if (synced != null) {
            syncedLength.put(target, synced);
        }
        unsyncedEntries.remove(source);
        unsyncedEntries.add(target);
    }

    @Override
    public void delete(Path path) throws IOException {
        mutate(Op.DELETE, path, () -> {
            base.delete(path);
            syncedLength.remove(path);
            unsyncedEntries.remove(path);
            replacedByRename.remove(path);
            return null;
        });
    }

    @Override
    public boolean exists(Path path) {
        return base.exists(path);
    }

    @Override
    public List<String> list(Path dir) throws IOException {
        check(Op.LIST, dir);
        return base.list(dir);
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        mutate(Op.MKDIRS, dir, () -> {
            base.createDirectories(dir);
            return null;
        });
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        check(Op.SYNC_DIR, dir);
        crashLock.readLock().lock();
        try {
            checkAlive();
            if (!skipDeviceSyncs) {
                base.syncDirectory(dir);
            }
            unsyncedEntries.removeIf(p -> dir.equals(p.getParent()));
            replacedByRename.keySet().removeIf(p -> dir.equals(p.getParent()));
        } finally {
            crashLock.readLock().unlock();
        }
    }

    @Override
    public void link(Path existing, Path link) throws IOException {
        mutate(Op.LINK, link, () -> {
            base.link(existing, link);
            unsyncedEntries.add(link);
            return null;
        });
    }

    @Override
    public Closeable lock(Path lockFile) throws IOException {
        mutate(Op.LOCK, lockFile, () -> null);
        synchronized (locks) {
            if (!locks.add(lockFile)) {
                throw new LockHeldException("lock " + lockFile + " is held");
            }
        }
        return () -> {
            synchronized (locks) {
                locks.remove(lockFile);
            }
        };
    }

    private final class FaultyWritableFile implements WritableFile {
        private final Path path;
        private final WritableFile f;

        FaultyWritableFile(Path path, WritableFile f) {
            this.path = path;
            this.f = f;
        }

        @Override
        public void append(byte[] data, int off, int len) throws IOException {
            mutate(Op.APPEND, path, () -> {
                if (diskFull) {
                    // write(2) stores what fits, then fails: here half of it.
                    f.append(data, off, len / 2);
                    throw new IOException(NO_SPACE);
                }
                f.append(data, off, len);
                return null;
            });
        }

        @Override
        public void sync() throws IOException {
            mutate(Op.SYNC, path, () -> {
                if (diskFull && syncsFailWhenFull && f.size() > syncedLength.getOrDefault(path, 0L)) {
                    // Writeback of data the device has no room for (delayed allocation, thin
                    // provisioning): the fsync fails.
                    throw new IOException(NO_SPACE);
                }
                if (!skipDeviceSyncs) {
                    f.sync();
                }
                syncedLength.put(path, f.size());
                return null;
            });
        }

        @Override
        public long size() {
            return f.size();
        }

        @Override
        public void truncate(long size) throws IOException {
            mutate(Op.TRUNCATE, path, () -> {
                f.truncate(size);
                syncedLength.computeIfPresent(path, (p, s) -> Math.min(s, size));
                return null;
            });
        }

        @Override
        public void close() throws IOException {
            f.close();
        }
    }
}
