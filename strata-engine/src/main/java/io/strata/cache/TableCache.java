package io.strata.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.strata.NotCachedException;
import io.strata.Options;
import io.strata.StrataException;
import io.strata.fs.FileSystem;
import io.strata.fs.ReadableFile;
import io.strata.iterator.InternalIterator;
import io.strata.sstable.Table;
import io.strata.util.FileNames;
import io.strata.version.FileMetaData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Open {@link Table} readers by file number, opened on first use, shared by all readers (a
 * Table is safe for concurrent reads), and at most {@code maxOpenFiles} of them kept open. It
 * also owns the store's {@link BlockCache}, which every table it opens shares.
 *
 * <p><b>Eviction safety.</b> Each open table sits in a {@link Handle} with a reference count:
 * one reference for the cache while the table is in it, one for each reader using it (a
 * {@link #get} in progress, an open {@link #iterator}: a compaction reads its inputs through
 * iterators too). When the cache evicts a
 * table (it is the least useful one past the bound, or {@link #evict} was called), it drops its
 * own reference; the file is closed when the count reaches zero, that is when the last reader
 * is done. A table needed again after its eviction is opened again, so a reader never reads a
 * closed file. Tables evicted while in use stay open until released, so the files open at
 * once are at most {@code maxOpenFiles} plus those readers hold or are opening (a table is
 * opened, then the least useful one is evicted).
 *
 * <p><b>Locking.</b> No lock of its own: the handles live in a Caffeine cache, whose
 * {@code compute} for one file number runs under that entry's lock (so a table is opened once
 * however many readers ask for it at once); every other shared field is final and
 * thread-safe, or volatile, as each says.
 */
public final class TableCache implements AutoCloseable {
    private final FileSystem fs;
    private final Path dir;
    private final int maxOpenFiles;
    private final BlockCache blockCache;
    /** Added to the error of a table whose file is gone: why that can happen in this store. */
    private final String missingFileHint;

    /** Thread-safe (Caffeine). A handle in it holds the cache's reference to its table. */
    private final Cache<CacheKey, Handle> handles;
    /** Every handle whose file is open, in the cache or not: closed by {@link #close}. A concurrent set. */
    private final Set<Handle> open = ConcurrentHashMap.newKeySet();

    private final AtomicLong pinnedBytes = new AtomicLong();
    private final LongAdder opens = new LongAdder();
    /** Volatile: set once by {@link #close}, read by every acquire. */
    private volatile boolean closed;

    /** The cache for a store opened with {@code options}: its maxOpenFiles and block cache size. */
    public TableCache(FileSystem fs, Path dir, Options options) {
        this(
                fs,
                dir,
                options.maxOpenFiles(),
                options.blockCacheSize() > 0 ? new BlockCache(options.blockCacheSize()) : null,
                options.readOnly()
                        ? " (the store was opened read-only and reads the tables its MANIFEST listed "
                                + "then; a process writing the store may have compacted this one away since: "
                                + "reopen it to "
                                + "read the current state)"
                        : "");
    }

    /** @param blockCache shared by all the tables opened here; null for none */
    public TableCache(FileSystem fs, Path dir, int maxOpenFiles, BlockCache blockCache) {
        this(fs, dir, maxOpenFiles, blockCache, "");
    }

    private TableCache(FileSystem fs, Path dir, int maxOpenFiles, BlockCache blockCache, String missingFileHint) {
        if (maxOpenFiles < 1) {
            throw new IllegalArgumentException("maxOpenFiles must be positive, got " + maxOpenFiles);
        }
        this.fs = fs;
        this.dir = dir;
        this.maxOpenFiles = maxOpenFiles;
        this.blockCache = blockCache;
        this.missingFileHint = missingFileHint;
        this.handles = Caffeine.newBuilder()
                .maximumSize(maxOpenFiles)
                .executor(Runnable::run)
                .removalListener((CacheKey key, Handle h, RemovalCause cause) -> {
                    if (h != null) {
                        h.release();
                    }
                })
                .build();
    }

    /**
     * What {@link Table#getValue} finds for {@code seekKey} in {@code file}: the value,
     * {@link io.strata.key.ValueType#DELETED}, or null; the table stays open for the lookup's duration.
     */
    public byte[] getValue(FileMetaData file, byte[] seekKey) {
        return getValue(file, seekKey, false);
    }

    /**
     * As {@link #getValue(FileMetaData, byte[])}; with {@code cachedOnly} it opens no table and
     * reads no block, throwing {@link io.strata.NotCachedException} where it would.
     */
    public byte[] getValue(FileMetaData file, byte[] seekKey, boolean cachedOnly) {
        Handle h = cachedOnly ? acquireOpen(file.number()) : acquire(file.number(), file.fileSize());
        try {
            return h.table.getValue(seekKey, cachedOnly);
        } finally {
            h.release();
        }
    }

    /** An iterator over {@code file}'s entries; the table stays open until it is closed. */
    public InternalIterator iterator(FileMetaData file) {
        Handle h = acquire(file.number(), file.fileSize());
        try {
            return new LeasedIterator(h.table.iterator(), h);
        } catch (RuntimeException e) {
            h.release();
            throw e;
        }
    }

    /**
     * Drops table {@code fileNumber} and its cached blocks, for a file that is being deleted.
     * Its file closes once no reader uses it.
     */
    public void evict(long fileNumber) {
        handles.invalidate(new CacheKey(fileNumber, 0));
        if (blockCache != null) {
            blockCache.evictFile(fileNumber);
        }
    }

    /**
     * A handle of table {@code number} with a reference taken for the caller. The reference is
     * taken inside the cache's atomic compute, before the cache can evict a handle it has just
     * added, so the caller never gets a closed table.
     */
    /** A handle of table {@code number} if it is open, with a reference taken for the caller. */
    private Handle acquireOpen(long number) {
        if (closed) {
            throw new IllegalStateException("the table cache of " + dir + " is closed");
        }
        Handle h = handles.getIfPresent(CacheKey.probe(number, 0));
        if (h != null && h.acquire()) {
            return h;
        }
        throw new NotCachedException();
    }

    private Handle acquire(long number, long size) {
        if (closed) {
            throw new IllegalStateException("the table cache of " + dir + " is closed");
        }
        Handle h = handles.getIfPresent(CacheKey.probe(number, 0));
        if (h != null && h.acquire()) {
            return h;
        }
        Handle[] got = new Handle[1];
        boolean[] opened = new boolean[1];
        try {
            handles.asMap().compute(new CacheKey(number, 0), (key, old) -> {
                if (old != null && old.acquire()) {
                    got[0] = old;
                    return old;
                }
                Handle fresh = open(number, size);
                fresh.acquire();
                got[0] = fresh;
                opened[0] = true;
                return fresh;
            });
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                throw new StrataException(
                        "cannot open table " + FileNames.table(number) + ": the file is gone ("
                                + e.getCause().getMessage() + ")" + missingFileHint,
                        e.getCause());
            }
            throw new StrataException(
                    "cannot open table " + FileNames.table(number) + ": "
                            + e.getCause().getMessage(),
                    e.getCause());
        }
        if (opened[0]) {
            // Caffeine evicts in whichever inserting thread gets its lock first, so under
            // concurrent opens it can lag; an opener waits for it, which keeps the tables
            // beyond the bound to those readers hold.
            handles.cleanUp();
        }
        return got[0];
    }

    private Handle open(long number, long size) {
        String name = FileNames.table(number);
        ReadableFile file = null;
        try {
            file = fs.openReadable(dir.resolve(name));
            Handle h = new Handle(Table.open(file, name, size, number, blockCache));
            opens.increment();
            open.add(h);
            pinnedBytes.addAndGet(h.table.pinnedBytes());
            if (closed) {
                // close() may have swept the open handles before this one joined them.
                h.closeFile();
                throw new IllegalStateException("the table cache of " + dir + " is closed");
            }
            return h;
        } catch (IOException e) {
            closeQuietly(file);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            closeQuietly(file);
            throw e;
        }
    }

    private static void closeQuietly(ReadableFile file) {
        if (file != null) {
            try {
                file.close();
            } catch (IOException ignored) {
                // The open already failed; that error is the one to report.
            }
        }
    }

    /** The block cache the tables share, or null if the store has none. */
    public BlockCache blockCache() {
        return blockCache;
    }

    public int maxOpenFiles() {
        return maxOpenFiles;
    }

    /** Table files open now: those in the cache and those evicted while a reader still used them. */
    public int openFiles() {
        return open.size();
    }

    /** How many times a table file was opened (a table evicted and needed again counts again). */
    public long opens() {
        return opens.sum();
    }

    /** Bytes of index blocks and filters held by the open tables. */
    public long pinnedBytes() {
        return pinnedBytes.get();
    }

    /** Closes every table, also those readers still hold (the store is closing: they fail after). */
    @Override
    public void close() {
        closed = true;
        handles.invalidateAll();
        handles.cleanUp();
        for (Handle h : open) {
            h.closeFile();
        }
    }

    /** An open table and its reference count; the file closes when the count drops to zero. */
    private final class Handle {
        /** Thread-safe for reads (see {@link Table}). */
        final Table table;
        /** Starts at one: the cache's reference. Atomic: readers take and drop references lock-free. */
        private final AtomicInteger refs = new AtomicInteger(1);
        /** Atomic so the file is closed once, by the last release or by {@link #close}, whichever is first. */
        private final AtomicBoolean fileClosed = new AtomicBoolean();

        Handle(Table table) {
            this.table = table;
        }

        /** Takes a reference; false if the table is already closed. */
        boolean acquire() {
            while (true) {
                int r = refs.get();
                if (r == 0) {
                    return false;
                }
                if (refs.compareAndSet(r, r + 1)) {
                    return true;
                }
            }
        }

        void release() {
            int r = refs.decrementAndGet();
            if (r == 0) {
                closeFile();
            } else if (r < 0) {
                throw new IllegalStateException(table.name() + ": released more often than acquired");
            }
        }

        void closeFile() {
            if (fileClosed.compareAndSet(false, true)) {
                open.remove(this);
                pinnedBytes.addAndGet(-table.pinnedBytes());
                try {
                    table.close();
                } catch (IOException ignored) {
                    // A read-only handle: nothing is lost if it fails to close.
                }
            }
        }
    }

    /** A table's iterator that holds a reference to the table until it is closed. */
    private static final class LeasedIterator implements InternalIterator {
        private final InternalIterator it;
        private final Handle handle;
        /** Confined: an iterator is used by one thread at a time. */
        private boolean released;

        LeasedIterator(InternalIterator it, Handle handle) {
            this.it = it;
            this.handle = handle;
        }

        @Override
        public boolean valid() {
            return it.valid();
        }

        @Override
        public void seekToFirst() {
            it.seekToFirst();
        }

        @Override
        public void seek(byte[] target) {
            it.seek(target);
        }

        @Override
        public void seekToLast() {
            it.seekToLast();
        }

        @Override
        public void next() {
            it.next();
        }

        @Override
        public void prev() {
            it.prev();
        }

        @Override
        public byte[] key() {
            return it.key();
        }

        @Override
        public byte[] value() {
            return it.value();
        }

        @Override
        public void close() {
            if (!released) {
                released = true;
                try {
                    it.close();
                } finally {
                    handle.release();
                }
            }
        }
    }
}
