package io.strata.db;

import io.strata.Options;
import io.strata.fs.FileSystem;
import io.strata.fs.WritableFile;
import io.strata.iterator.InternalIterator;
import io.strata.memtable.MemTable;
import io.strata.sstable.TableBuilder;
import io.strata.util.FileNames;
import io.strata.version.FileMetaData;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes a memtable that no longer changes to a new SSTable, durably: the file is fsynced and
 * so is the directory entry, before the caller records it in the MANIFEST. On failure the
 * partial file is removed and the memtable is untouched, so the flush can be retried.
 */
final class Level0Writer {
    private Level0Writer() {}

    static FileMetaData write(MemTable mem, long number, FileSystem fs, Path dir, Options options)
            throws IOException {
        String name = FileNames.table(number);
        Path path = dir.resolve(name);
        WritableFile file = fs.create(path);
        try {
            TableBuilder builder = new TableBuilder(file, name, options.blockSize(),
                    options.blockRestartInterval(), options.bloomBitsPerKey(), options.compression());
            try (InternalIterator it = mem.iterator()) {
                for (it.seekToFirst(); it.valid(); it.next()) {
                    builder.add(it.key(), it.value());
                }
            }
            long size = builder.finish();
            file.sync();
            file.close();
            fs.syncDirectory(dir);
            return new FileMetaData(number, size, builder.smallestKey(), builder.largestKey());
        } catch (IOException | RuntimeException e) {
            try {
                file.close();
                fs.delete(path);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }
}
