package io.strata.db;

import io.strata.Options;
import io.strata.fs.FileSystem;
import io.strata.memtable.MemTable;
import io.strata.version.FileMetaData;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes a memtable that no longer changes to a new SSTable, durably (see
 * {@link TableFileWriter}), without the versions no reader can see any more
 * ({@link MemTable#forEachToFlush}). On failure the partial file is removed and the memtable is
 * untouched, so the flush can be retried.
 */
final class Level0Writer {
    private Level0Writer() {}

    /**
     * @param smallestSnapshot the oldest sequence a live reader may read at (the last sequence
     *                         when there is no snapshot): a version shadowed at or below it by a
     *                         newer one of its key is left out
     */
    static FileMetaData write(
            MemTable mem, long number, FileSystem fs, Path dir, Options options, long smallestSnapshot)
            throws IOException {
        TableFileWriter out = new TableFileWriter(fs, dir, number, options);
        try {
            mem.forEachToFlush(smallestSnapshot, out::add);
        } catch (IOException | RuntimeException e) {
            out.abandon(e);
            throw e;
        }
        return out.finish();
    }
}
