package io.strata.cache;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.strata.Compression;
import io.strata.fs.FileSystem;
import io.strata.fs.WritableFile;
import io.strata.key.InternalKey;
import io.strata.key.ValueType;
import io.strata.sstable.TableBuilder;
import io.strata.util.FileNames;
import io.strata.version.FileMetaData;
import java.io.IOException;
import java.nio.file.Path;

/** Tables for the cache tests: table {@code t} holds keys {@code t-00000 .. t-(n-1)}. */
final class CacheTestTables {
    private CacheTestTables() {}

    static String userKey(long table, int i) {
        return String.format("%06d-%05d", table, i);
    }

    static String value(long table, int i) {
        return "value-" + table + "-" + i + "-" + "x".repeat(i % 50);
    }

    static byte[] seekKey(long table, int i) {
        return InternalKey.seekKey(userKey(table, i).getBytes(UTF_8), InternalKey.MAX_SEQUENCE);
    }

    static FileMetaData write(FileSystem fs, Path dir, long number, int keys, int blockSize) throws IOException {
        String name = FileNames.table(number);
        try (WritableFile f = fs.create(dir.resolve(name))) {
            TableBuilder b = new TableBuilder(f, name, blockSize, 16, 10, Compression.LZ4);
            for (int i = 0; i < keys; i++) {
                b.add(
                        InternalKey.encode(userKey(number, i).getBytes(UTF_8), 1, ValueType.VALUE),
                        value(number, i).getBytes(UTF_8));
            }
            long size = b.finish();
            f.sync();
            return new FileMetaData(number, size, b.smallestKey(), b.largestKey());
        }
    }
}
