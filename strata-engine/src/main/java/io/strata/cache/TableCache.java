package io.strata.cache;

import io.strata.StrataException;
import io.strata.fs.FileSystem;
import io.strata.fs.ReadableFile;
import io.strata.sstable.Table;
import io.strata.util.FileNames;
import io.strata.version.FileMetaData;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open {@link Table} readers by file number, opened on first use and shared by all readers
 * (a Table is safe for concurrent reads). Bounding the number of open files is later work;
 * for now every live table stays open until the store closes.
 */
public final class TableCache implements AutoCloseable {
    private final FileSystem fs;
    private final Path dir;
    private final ConcurrentHashMap<Long, Table> tables = new ConcurrentHashMap<>();

    public TableCache(FileSystem fs, Path dir) {
        this.fs = fs;
        this.dir = dir;
    }

    public Table get(FileMetaData file) {
        try {
            return tables.computeIfAbsent(file.number(), n -> open(n, file.fileSize()));
        } catch (UncheckedIOException e) {
            throw new StrataException("cannot open table " + FileNames.table(file.number()) + ": "
                    + e.getCause().getMessage(), e.getCause());
        }
    }

    private Table open(long number, long size) {
        String name = FileNames.table(number);
        ReadableFile file = null;
        try {
            file = fs.openReadable(dir.resolve(name));
            return Table.open(file, name, size);
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

    /** Closes the reader of a file that no live Version lists any more (nobody reads it). */
    public void evict(long fileNumber) {
        Table t = tables.remove(fileNumber);
        if (t != null) {
            try {
                t.close();
            } catch (IOException ignored) {
                // A read-only handle: nothing is lost if it fails to close.
            }
        }
    }

    @Override
    public void close() {
        for (Table t : tables.values()) {
            try {
                t.close();
            } catch (IOException ignored) {
                // Read-only handles: nothing is lost if one fails to close.
            }
        }
        tables.clear();
    }
}
