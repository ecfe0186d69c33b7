package io.strata.cli;

import io.strata.tools.TableDump;
import java.io.PrintWriter;
import java.nio.file.Path;
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
        try (TableDump table = TableDump.open(file)) {
            table.printProperties(out);
            table.printIndex(out);
            if (entries || limit != null) {
                table.printEntries(out, limit == null ? Long.MAX_VALUE : limit, valueBytes);
            }
        }
        out.flush();
        return StrataCommand.OK;
    }
}
