package io.strata;

import io.strata.fs.FileSystem;
import io.strata.fs.LocalFileSystem;
import java.time.Duration;

/** Settings for opening a store. Setters return {@code this}; defaults suit a server. */
public final class Options {
    private long writeBufferSize = 64L * 1024 * 1024;
    private int maxImmutableMemtables = 2;
    private int blockSize = 4 * 1024;
    private int blockRestartInterval = 16;
    private int bloomBitsPerKey = 10;
    private boolean syncWal;
    private boolean disableWal;
    private boolean createIfMissing = true;
    private boolean errorIfExists;
    private boolean readOnly;
    private Duration backgroundRetryInitialDelay = Duration.ofMillis(100);
    private Duration backgroundRetryMaxDelay = Duration.ofSeconds(10);
    private FileSystem fileSystem = LocalFileSystem.INSTANCE;
    private int compactionThreads = 1;
    private int level0FileNumCompactionTrigger = 4;
    private int level0SlowdownWritesTrigger = 20;
    private int level0StopWritesTrigger = 36;
    private long maxBytesForLevelBase = 256L * 1024 * 1024;
    private int maxBytesForLevelMultiplier = 10;
    private long targetFileSize = 64L * 1024 * 1024;
    private CompactionFilter compactionFilter;
    private long blockCacheSize = 64L * 1024 * 1024;
    private int maxOpenFiles = 1000;
    private Compression compression = Compression.LZ4;

    /** Smallest {@link #maxOpenFiles} accepted. */
    public static final int MIN_OPEN_FILES = 20;

    /**
     * Heap bytes a memtable takes (its entries, their length prefixes, and its index) before it
     * is flushed (default 64 MiB).
     */
    public Options writeBufferSize(long bytes) {
        if (bytes < 4096) {
            throw new IllegalArgumentException("writeBufferSize must be at least 4096 bytes, got " + bytes);
        }
        this.writeBufferSize = bytes;
        return this;
    }

    public long writeBufferSize() {
        return writeBufferSize;
    }

    /**
     * How many full memtables may wait for their flush (default 2). When the queue is full,
     * writes stall until a flush finishes, and the stall is counted and logged.
     */
    public Options maxImmutableMemtables(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("maxImmutableMemtables must be at least 1, got " + count);
        }
        this.maxImmutableMemtables = count;
        return this;
    }

    public int maxImmutableMemtables() {
        return maxImmutableMemtables;
    }

    /** Target size of an SSTable data block before compression (default 4 KiB). */
    public Options blockSize(int bytes) {
        if (bytes < 256 || bytes > 16 * 1024 * 1024) {
            throw new IllegalArgumentException("blockSize must be between 256 bytes and 16 MiB, got " + bytes);
        }
        this.blockSize = bytes;
        return this;
    }

    public int blockSize() {
        return blockSize;
    }

    /** Keys between restart points in a block (default 16). */
    public Options blockRestartInterval(int keys) {
        if (keys < 1) {
            throw new IllegalArgumentException("blockRestartInterval must be at least 1, got " + keys);
        }
        this.blockRestartInterval = keys;
        return this;
    }

    public int blockRestartInterval() {
        return blockRestartInterval;
    }

    /** Bloom filter bits per key (default 10, about 1% false positives); 0 disables filters. */
    public Options bloomBitsPerKey(int bits) {
        if (bits < 0 || bits > 64) {
            throw new IllegalArgumentException("bloomBitsPerKey must be between 0 and 64, got " + bits);
        }
        this.bloomBitsPerKey = bits;
        return this;
    }

    public int bloomBitsPerKey() {
        return bloomBitsPerKey;
    }

    /** Fsync the WAL on every write, whatever its {@link WriteOptions} say (default false). */
    public Options syncWal(boolean sync) {
        this.syncWal = sync;
        return this;
    }

    public boolean syncWal() {
        return syncWal;
    }

    /**
     * Run without a write-ahead log (default false), for a caller that keeps its own log, such
     * as a replicated store whose Raft log is the only log. No WAL segment is created or
     * written; a write is only in memory until its memtable is flushed into a table (memtables
     * still fill up and are flushed as usual, and {@link StrataDb#flush()} flushes at once).
     * After a crash the store holds exactly what had been flushed into tables: the writes since
     * the last flush are lost, and {@link StrataDb#durableMarker()} says up to which batch the
     * store holds. A clean {@link StrataDb#close()} flushes the memtables first, so nothing
     * acknowledged is lost on a clean shutdown. A store written with the WAL on and opened with
     * it off first replays its WAL segments into tables, so nothing is lost either. Since no
     * write can be fsynced, {@link #syncWal} cannot be combined with it (the open fails) and a
     * {@link WriteOptions#sync(boolean) synced} write throws an {@link IllegalArgumentException}.
     */
    public Options disableWal(boolean disable) {
        this.disableWal = disable;
        return this;
    }

    public boolean disableWal() {
        return disableWal;
    }

    /** Create the store if the directory holds none (default true; a {@link #readOnly} open never does). */
    public Options createIfMissing(boolean create) {
        this.createIfMissing = create;
        return this;
    }

    public boolean createIfMissing() {
        return createIfMissing;
    }

    /** Fail the open if a store already exists (default false). */
    public Options errorIfExists(boolean error) {
        this.errorIfExists = error;
        return this;
    }

    public boolean errorIfExists() {
        return errorIfExists;
    }

    /**
     * Open the store only to read it (default false). A read-only open writes, creates and
     * deletes nothing in the directory, so it works on read-only media: it takes no lock (so
     * it also works beside a process that has the store open for writing, and then reads the
     * store as it was when it opened), replays the WAL into memory without ever flushing it,
     * and starts no background thread. Reads, iterators, snapshots and statistics work; every
     * write, {@code flush}, {@code compactRange} and {@code checkpoint} throws a
     * {@link StrataException}. It never creates a store, whatever {@link #createIfMissing}
     * says, and cannot be combined with {@link #errorIfExists}.
     */
    public Options readOnly(boolean readOnly) {
        this.readOnly = readOnly;
        return this;
    }

    public boolean readOnly() {
        return readOnly;
    }

    /**
     * How background work that failed (a flush, a compaction) is retried: after {@code initial},
     * then after twice as long each time, up to {@code max}.
     */
    public Options backgroundRetryDelay(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("background retry delays must satisfy 0 < initial <= max");
        }
        this.backgroundRetryInitialDelay = initial;
        this.backgroundRetryMaxDelay = max;
        return this;
    }

    public Duration backgroundRetryInitialDelay() {
        return backgroundRetryInitialDelay;
    }

    public Duration backgroundRetryMaxDelay() {
        return backgroundRetryMaxDelay;
    }

    /**
     * Bytes of decoded data blocks kept in memory, shared by all the tables of the store
     * (default 64 MiB); 0 disables the block cache. Index blocks and filters are not counted
     * here: each open table keeps its own in memory.
     */
    public Options blockCacheSize(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("blockCacheSize must not be negative, got " + bytes);
        }
        this.blockCacheSize = bytes;
        return this;
    }

    public long blockCacheSize() {
        return blockCacheSize;
    }

    /**
     * Table files kept open at once (default 1000, at least {@value #MIN_OPEN_FILES}). A table
     * closed to stay under the bound is opened again when it is next read; a table in use by a
     * read or an iterator stays open until that is done.
     */
    public Options maxOpenFiles(int count) {
        if (count < MIN_OPEN_FILES) {
            throw new IllegalArgumentException("maxOpenFiles must be at least " + MIN_OPEN_FILES + ", got " + count);
        }
        this.maxOpenFiles = count;
        return this;
    }

    public int maxOpenFiles() {
        return maxOpenFiles;
    }

    /**
     * How new SSTable data blocks are compressed (default {@link Compression#LZ4}: in the
     * project's benchmark it stored half-compressible values in 64% of the space at no cost in
     * throughput, where Zstd saved a little more but halved fill and read rates; see
     * docs/DESIGN.md). Each block records its own compression, so changing this across
     * restarts is safe: tables written before stay readable.
     */
    public Options compression(Compression compression) {
        if (compression == null) {
            throw new IllegalArgumentException("compression must not be null");
        }
        this.compression = compression;
        return this;
    }

    public Compression compression() {
        return compression;
    }

    /** The file system all I/O goes through (tests pass a fault-injecting one). */
    public Options fileSystem(FileSystem fs) {
        if (fs == null) {
            throw new IllegalArgumentException("fileSystem must not be null");
        }
        this.fileSystem = fs;
        return this;
    }

    public FileSystem fileSystem() {
        return fileSystem;
    }

    /** Background compaction threads (default 1, which suits two cores). */
    public Options compactionThreads(int count) {
        this.compactionThreads = (int) atLeast("compactionThreads", count, 1);
        return this;
    }

    public int compactionThreads() {
        return compactionThreads;
    }

    /** Level-0 files that start a compaction into level 1 (default 4). */
    public Options level0FileNumCompactionTrigger(int files) {
        this.level0FileNumCompactionTrigger = (int) atLeast("level0FileNumCompactionTrigger", files, 1);
        return this;
    }

    public int level0FileNumCompactionTrigger() {
        return level0FileNumCompactionTrigger;
    }

    /** Level-0 files at which each write is delayed by a millisecond (default 20). */
    public Options level0SlowdownWritesTrigger(int files) {
        this.level0SlowdownWritesTrigger = (int) atLeast("level0SlowdownWritesTrigger", files, 1);
        return this;
    }

    public int level0SlowdownWritesTrigger() {
        return level0SlowdownWritesTrigger;
    }

    /** Level-0 files at which writes wait for a compaction (default 36). */
    public Options level0StopWritesTrigger(int files) {
        this.level0StopWritesTrigger = (int) atLeast("level0StopWritesTrigger", files, 1);
        return this;
    }

    public int level0StopWritesTrigger() {
        return level0StopWritesTrigger;
    }

    /** Target size of level 1 (default 256 MiB); level n+1 targets the multiplier times level n. */
    public Options maxBytesForLevelBase(long bytes) {
        this.maxBytesForLevelBase = atLeast("maxBytesForLevelBase", bytes, 4096);
        return this;
    }

    public long maxBytesForLevelBase() {
        return maxBytesForLevelBase;
    }

    /** Growth factor between the target sizes of adjacent levels (default 10). */
    public Options maxBytesForLevelMultiplier(int factor) {
        this.maxBytesForLevelMultiplier = (int) atLeast("maxBytesForLevelMultiplier", factor, 2);
        return this;
    }

    public int maxBytesForLevelMultiplier() {
        return maxBytesForLevelMultiplier;
    }

    /** Size at which compaction cuts an output file (default 64 MiB). */
    public Options targetFileSize(long bytes) {
        this.targetFileSize = atLeast("targetFileSize", bytes, 4096);
        return this;
    }

    public long targetFileSize() {
        return targetFileSize;
    }

    /** Drops dead values during compaction (default: none). See {@link CompactionFilter}. */
    public Options compactionFilter(CompactionFilter filter) {
        this.compactionFilter = filter;
        return this;
    }

    /** The compaction filter, or null. */
    public CompactionFilter compactionFilter() {
        return compactionFilter;
    }

    /** Checks the settings that constrain one another; called when a store opens. */
    public void validate() {
        if (level0FileNumCompactionTrigger > level0SlowdownWritesTrigger
                || level0SlowdownWritesTrigger > level0StopWritesTrigger) {
            throw new IllegalArgumentException("level-0 triggers must satisfy compaction ("
                    + level0FileNumCompactionTrigger + ") <= slowdown (" + level0SlowdownWritesTrigger
                    + ") <= stop (" + level0StopWritesTrigger + ")");
        }
        if (readOnly && errorIfExists) {
            throw new IllegalArgumentException("readOnly and errorIfExists cannot both be set: a read-only open "
                    + "needs an existing store, which errorIfExists refuses");
        }
        if (syncWal && disableWal) {
            throw new IllegalArgumentException("syncWal and disableWal cannot both be set: with the write-ahead log "
                    + "off there is no log to fsync, and a write is durable only once its memtable is flushed");
        }
    }

    private static long atLeast(String name, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
        }
        return value;
    }
}
