package io.strata.tools;

import io.strata.iterator.InternalIterator;
import io.strata.key.InternalKey;
import io.strata.key.ValueType;
import io.strata.sstable.TableInspector;
import java.io.Closeable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * An SSTable file printed for a person: its properties, its index and its entries, keys decoded
 * ({@link Text#internalKey}). Every block printed has been read and its checksum checked: a
 * damaged table fails with a {@link io.strata.CorruptionException} naming the file and offset.
 * Not thread-safe.
 */
public final class TableDump implements Closeable {
    private final Path file;
    private final TableInspector table;
    /** Read once, on first use: computing them reads and checks every block. */
    private TableInspector.Properties properties;

    private TableDump(Path file, TableInspector table) {
        this.file = file;
        this.table = table;
    }

    /** Opens the table file at {@code file} (read-only), checking its footer, index and filter. */
    public static TableDump open(Path file) throws IOException {
        return new TableDump(file, TableInspector.open(file));
    }

    /** File size, format version, blocks, entries, key range, filter and index: one line each. */
    public void printProperties(PrintWriter out) {
        TableInspector.Properties p = properties();
        out.printf("file            %s%n", file);
        out.printf("file size       %d bytes%n", p.fileSize());
        out.printf("format version  %d%n", p.formatVersion());
        out.printf("data blocks     %d (%d bytes with trailers)%n", p.dataBlocks(), p.dataSize());
        out.printf(
                "entries         %d (%s, %s)%n",
                p.entries(),
                Text.count(p.entries() - p.tombstones(), "put", "puts"),
                Text.count(p.tombstones(), "tombstone", "tombstones"));
        out.printf("smallest key    %s%n", Text.internalKey(p.smallestKey()));
        out.printf("largest key     %s%n", Text.internalKey(p.largestKey()));
        out.printf(
                "filter          %d bytes%s%n",
                p.filterSize(), p.filterSize() == 0 ? " (none)" : ", " + p.filterProbes() + " probes per key");
        out.printf("index           %d bytes%n", p.indexSize());
    }

    /** A blank line, then each data block's number, offset, size and last key. */
    public void printIndex(PrintWriter out) {
        List<TableInspector.DataBlock> blocks = table.blocks();
        out.println();
        out.printf("index (%s):%n", Text.count(blocks.size(), "data block", "data blocks"));
        out.printf("  %6s %12s %8s  %s%n", "block", "offset", "size", "last key");
        for (TableInspector.DataBlock b : blocks) {
            out.printf("  %6d %12d %8d  %s%n", b.number(), b.offset(), b.size(), Text.internalKey(b.indexKey()));
        }
    }

    /**
     * A blank line, then the first {@code max} entries in key order: key, sequence and type, and
     * for a put the value's length and its first {@code valueBytes} bytes (none if 0), escaped.
     */
    public void printEntries(PrintWriter out, long max, int valueBytes) {
        long total = properties().entries();
        out.println();
        out.printf(max < total ? "entries (first %d of %d):%n" : "entries (%2$d):%n", max, total);
        long n = 0;
        try (InternalIterator it = table.table().iterator()) {
            for (it.seekToFirst(); it.valid() && n < max; it.next(), n++) {
                out.println("  " + entry(it.key(), it.value(), valueBytes));
            }
        }
    }

    private TableInspector.Properties properties() {
        if (properties == null) {
            properties = table.properties();
        }
        return properties;
    }

    private static String entry(byte[] key, byte[] value, int valueBytes) {
        String k = Text.internalKey(key);
        if (InternalKey.type(key) == ValueType.DELETION) {
            return k;
        }
        return k + "  value " + Text.count(value.length, "byte", "bytes")
                + (valueBytes > 0 ? " " + Text.escape(value, valueBytes) : "");
    }

    @Override
    public void close() throws IOException {
        table.close();
    }
}
