package io.strata.db;

import io.strata.Options;
import io.strata.fs.FileSystem;
import io.strata.fs.WritableFile;
import io.strata.sstable.TableBuilder;
import io.strata.util.FileNames;
import io.strata.version.FileMetaData;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes one new SSTable durably: {@link #finish()} fsyncs the file and the directory entry
 * before the caller names it in the MANIFEST. A writer that fails or is abandoned removes its
 * partial file. Used by one thread.
 */
final class TableFileWriter {
    private final FileSystem fs;
    private final Path dir;
    private final Path path;
    private final long number;
    private final WritableFile file;
    private final TableBuilder builder;

    TableFileWriter(FileSystem fs, Path dir, long number, Options options) throws IOException {
        this.fs = fs;
        this.dir = dir;
        this.number = number;
        String name = FileNames.table(number);
        this.path = dir.resolve(name);
        this.file = fs.create(path);
        this.builder = new TableBuilder(
                file,
                name,
                options.blockSize(),
                options.blockRestartInterval(),
                options.bloomBitsPerKey(),
                options.compression());
    }

    void add(byte[] internalKey, byte[] value) throws IOException {
        builder.add(internalKey, value);
    }

    /** Bytes written so far. */
    long size() {
        return file.size();
    }

    FileMetaData finish() throws IOException {
        try {
            long size = builder.finish();
            file.sync();
            file.close();
            fs.syncDirectory(dir);
            return new FileMetaData(number, size, builder.smallestKey(), builder.largestKey());
        } catch (IOException | RuntimeException e) {
            abandon(e);
            throw e;
        }
    }

    /** Closes and removes the partial file; cleanup failures are added to {@code cause}. */
    void abandon(Throwable cause) {
        try {
            file.close();
            fs.delete(path);
        } catch (IOException cleanup) {
            cause.addSuppressed(cleanup);
        }
    }
}
