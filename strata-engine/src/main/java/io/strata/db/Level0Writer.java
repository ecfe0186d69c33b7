package io.strata.db;

import io.strata.Options;
import io.strata.fs.FileSystem;
import io.strata.iterator.InternalIterator;
import io.strata.memtable.MemTable;
import io.strata.version.FileMetaData;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes a memtable that no longer changes to a new SSTable, durably (see
 * {@link TableFileWriter}). On failure the partial file is removed and the memtable is
 * untouched, so the flush can be retried.
 */
final class Level0Writer {
    private Level0Writer() {}

    static FileMetaData write(MemTable mem, long number, FileSystem fs, Path dir, Options options) throws IOException {
        TableFileWriter out = new TableFileWriter(fs, dir, number, options);
        try (InternalIterator it = mem.iterator()) {
            for (it.seekToFirst(); it.valid(); it.next()) {
                out.add(it.key(), it.value());
            }
        } catch (IOException | RuntimeException e) {
            out.abandon(e);
            throw e;
        }
        return out.finish();
    }
}
