package io.strata.cli;

import io.strata.Options;
import io.strata.StrataDb;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code strata db stats}: opens a store and prints its {@code strata.stats} property. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {"Opens the store and prints its statistics (the strata.stats property): files and bytes "
                + "per level, memtables, flushes, write stalls, last sequence, background error.",
                "This is an ordinary open: it takes the store's LOCK (so it fails if the store is open elsewhere) "
                + "and runs recovery, which replays the WAL into level-0 tables and writes a fresh MANIFEST. "
                + "It never creates a store."})
public final class DbStatsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "<dir>", description = "The store directory.")
    Path dir;

    @Override
    public Integer call() throws Exception {
        PathChecks.requireStore(dir);
        PrintWriter out = spec.commandLine().getOut();
        try (StrataDb db = StrataDb.open(dir, new Options().createIfMissing(false))) {
            out.print(db.getProperty("strata.stats"));
        }
        out.flush();
        return StrataCommand.OK;
    }
}
