package io.strata.cli;

import io.strata.Options;
import io.strata.StrataDb;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code strata db stats}: opens a store read-only and prints its {@code strata.stats} property. */
@Command(
        name = "stats",
        mixinStandardHelpOptions = true,
        description = {
            "Opens the store and prints its statistics (the strata.stats property): files and bytes "
                    + "per level, memtables, flushes, write stalls, last sequence, background error.",
            "The store is opened read-only: nothing in the directory is written, created or deleted, and its "
                    + "LOCK is not taken, so this works on read-only media and beside a process (such as a server) "
                    + "that has the store open; the WAL is replayed into memory. The figures are those of the store "
                    + "as it was on disk when it was opened (counters of the running process, such as flushes or "
                    + "stalls, are not on disk and show as 0). It never creates a store."
        })
public final class DbStatsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "<dir>", description = "The store directory.")
    Path dir;

    @Override
    public Integer call() throws Exception {
        PathChecks.requireStore(dir);
        PrintWriter out = spec.commandLine().getOut();
        try (StrataDb db = StrataDb.open(dir, new Options().readOnly(true))) {
            out.print(db.getProperty("strata.stats"));
        }
        out.flush();
        return StrataCommand.OK;
    }
}
