package io.strata.fs;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A {@link FileSystem} over the real one that can fail, delay or lose I/O, after LevelDB's
 * fault-injection test environment.
 *
 * <ul>
 *   <li>{@link #setFault} installs a hook run before every operation; it may throw (a failed
 *       write, fsync, rename...) or sleep (a slow device). {@link #failNth} and {@link #delay}
 *       build common hooks.</li>
 *   <li>{@link #crash} simulates a machine crash: every handle and this instance stop working,
 *       and with {@code dropUnsynced} each file is cut back to what was fsynced, and files
 *       whose directory entry was never fsynced disappear (or, for the target of a rename,
 *       go back to the file the rename replaced). Reopen through a new instance.</li>
 * </ul>
 *
 * Locks are kept in memory per instance, so a reopen after a crash can take them again.
 */
public final class FaultInjectionFileSystem implements FileSystem {
    public enum Op { CREATE, OPEN, APPEND, SYNC, TRUNCATE, RENAME, DELETE, SYNC_DIR, LINK, LIST, MKDIRS, LOCK, READ }

    @FunctionalInterface
    public interface Fault {
        /** Runs before {@code op} on {@code path}; throwing fails the operation. */
        void before(Op op, Path path) throws IOException;
    }

    private final FileSystem base = LocalFileSystem.INSTANCE;
    private volatile Fault fault = (op, path) -> {};
    private volatile boolean dead;
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
    public synchronized void crash(boolean dropUnsynced) throws IOException {
        dead = true;
        if (!dropUnsynced) {
            return;
        }
        for (Path p : unsyncedEntries) {
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
        if (dead) {
            throw new IOException("simulated crash: the file system is gone");
        }
        counts.get(op).incrementAndGet();
        fault.before(op, path);
    }

    @Override
    public WritableFile create(Path path) throws IOException {
        check(Op.CREATE, path);
        WritableFile f = base.create(path);
        syncedLength.put(path, 0L);
        unsyncedEntries.add(path);
        return new FaultyWritableFile(path, f);
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
        check(Op.RENAME, source);
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
        check(Op.DELETE, path);
        base.delete(path);
        syncedLength.remove(path);
        unsyncedEntries.remove(path);
        replacedByRename.remove(path);
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
        check(Op.MKDIRS, dir);
        base.createDirectories(dir);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        check(Op.SYNC_DIR, dir);
        base.syncDirectory(dir);
        unsyncedEntries.removeIf(p -> dir.equals(p.getParent()));
        replacedByRename.keySet().removeIf(p -> dir.equals(p.getParent()));
    }

    @Override
    public void link(Path existing, Path link) throws IOException {
        check(Op.LINK, link);
        base.link(existing, link);
        unsyncedEntries.add(link);
    }

    @Override
    public Closeable lock(Path lockFile) throws IOException {
        check(Op.LOCK, lockFile);
        synchronized (locks) {
            if (!locks.add(lockFile)) {
                throw new IOException("lock " + lockFile + " is held");
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
            check(Op.APPEND, path);
            f.append(data, off, len);
        }

        @Override
        public void sync() throws IOException {
            check(Op.SYNC, path);
            f.sync();
            syncedLength.put(path, f.size());
        }

        @Override
        public long size() {
            return f.size();
        }

        @Override
        public void truncate(long size) throws IOException {
            check(Op.TRUNCATE, path);
            f.truncate(size);
            syncedLength.computeIfPresent(path, (p, s) -> Math.min(s, size));
        }

        @Override
        public void close() throws IOException {
            f.close();
        }
    }
}
