package io.strata.cli;

import io.strata.iterator.InternalIterator;
import io.strata.key.InternalKey;
import io.strata.key.ValueType;
import io.strata.sstable.TableInspector;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code strata sst dump}: an SSTable's properties, index and (optionally) entries. */
@Command(
        name = "dump",
        mixinStandardHelpOptions = true,
        description = {
            "Prints an SSTable's properties (file size, data blocks, entries, smallest and largest key, "
                    + "filter and index size, format version) and its index (each data block's last key, offset and "
                    + "size); with --entries, its entries in order.",
            "Reads every block and checks its checksum: a damaged table fails with the file and offset."
        })
public final class SstDumpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "<file>", description = "The table file (NNNNNN.sst).")
    Path file;

    @Option(names = "--entries", description = "Also print the entries: key, sequence, type and value.")
    boolean entries;

    @Option(names = "--limit", paramLabel = "N", description = "Print at most N entries (implies --entries).")
    Long limit;

    @Option(
            names = "--value-bytes",
            paramLabel = "N",
            defaultValue = "32",
            description =
                    "Bytes of each value to print, escaped (default: ${DEFAULT-VALUE}; 0 prints only its length).")
    int valueBytes;

    @Override
    public Integer call() throws Exception {
        if (limit != null && limit < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be at least 0, got " + limit);
        }
        if (valueBytes < 0) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "--value-bytes must be at least 0, got " + valueBytes);
        }
        PathChecks.requireFile(file);
        PrintWriter out = spec.commandLine().getOut();
        try (TableInspector table = TableInspector.open(file)) {
            TableInspector.Properties p = table.properties();
            out.printf("file            %s%n", file);
            out.printf("file size       %d bytes%n", p.fileSize());
            out.printf("format version  %d%n", p.formatVersion());
            out.printf("data blocks     %d (%d bytes with trailers)%n", p.dataBlocks(), p.dataSize());
            out.printf(
                    "entries         %d (%s, %s)%n",
                    p.entries(),
                    Format.count(p.entries() - p.tombstones(), "put", "puts"),
                    Format.count(p.tombstones(), "tombstone", "tombstones"));
            out.printf("smallest key    %s%n", Format.internalKey(p.smallestKey()));
            out.printf("largest key     %s%n", Format.internalKey(p.largestKey()));
            out.printf(
                    "filter          %d bytes%s%n",
                    p.filterSize(), p.filterSize() == 0 ? " (none)" : ", " + p.filterProbes() + " probes per key");
            out.printf("index           %d bytes%n", p.indexSize());

            List<TableInspector.DataBlock> blocks = table.blocks();
            out.println();
            out.printf("index (%s):%n", Format.count(blocks.size(), "data block", "data blocks"));
            out.printf("  %6s %12s %8s  %s%n", "block", "offset", "size", "last key");
            for (TableInspector.DataBlock b : blocks) {
                out.printf("  %6d %12d %8d  %s%n", b.number(), b.offset(), b.size(), Format.internalKey(b.indexKey()));
            }

            if (entries || limit != null) {
                long max = limit == null ? Long.MAX_VALUE : limit;
                out.println();
                out.printf(max < p.entries() ? "entries (first %d of %d):%n" : "entries (%2$d):%n", max, p.entries());
                long n = 0;
                try (InternalIterator it = table.table().iterator()) {
                    for (it.seekToFirst(); it.valid() && n < max; it.next(), n++) {
                        out.println("  " + entry(it.key(), it.value()));
                    }
                }
            }
        }
        out.flush();
        return StrataCommand.OK;
    }

    private String entry(byte[] key, byte[] value) {
        String k = Format.internalKey(key);
        if (InternalKey.type(key) == ValueType.DELETION) {
            return k;
        }
        return k + "  value " + Format.count(value.length, "byte", "bytes")
                + (valueBytes > 0 ? " " + Format.escape(value, valueBytes) : "");
    }
}
