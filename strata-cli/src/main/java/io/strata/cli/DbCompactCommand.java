package io.strata.cli;

import io.strata.Options;
import io.strata.StrataDb;
import io.strata.server.store.ExpiredValueFilter;
import io.strata.tools.StoreLayout;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code strata db compact}: flushes and compacts a store (or a key range of it) and waits. */
@Command(
        name = "compact",
        mixinStandardHelpOptions = true,
        description = {
            "Opens the store, flushes its memtables and compacts every file holding keys in the range "
                    + "down to the deepest level holding any of them, dropping overwritten versions and tombstones. "
                    + "Prints the files per level and the table bytes before and after.",
            "This is an ordinary open: it takes the store's LOCK (so it fails if the store is open elsewhere) "
                    + "and runs recovery, which replays the WAL into level-0 tables and writes a fresh MANIFEST.",
            "On a strata server's data directory, --server-values also drops expired keys, as the server does."
        })
public final class DbCompactCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "<dir>", description = "The store directory.")
    Path dir;

    @Option(names = "--from", paramLabel = "<key>", description = "First key of the range (UTF-8); default: the first.")
    String from;

    @Option(names = "--to", paramLabel = "<key>", description = "Last key of the range (UTF-8); default: the last.")
    String to;

    @Option(
            names = "--server-values",
            description = "The store is a strata server's data directory: also drop "
                    + "keys whose expiry (TTL) has passed, with the server's compaction filter. Only for a "
                    + "server's store: "
                    + "another store's value that happens to start like an expired server value would be dropped.")
    boolean serverValues;

    @Override
    public Integer call() throws Exception {
        PathChecks.requireStore(dir);
        PrintWriter out = spec.commandLine().getOut();
        Options options = new Options().createIfMissing(false);
        if (serverValues) {
            options.compactionFilter(new ExpiredValueFilter(System::currentTimeMillis));
        }
        try (StrataDb db = StrataDb.open(dir, options)) {
            out.println("before: " + StoreLayout.of(db).describe());
            long start = System.nanoTime();
            db.compactRange(bytes(from), bytes(to));
            out.printf("after:  %s (%.1f s)%n", StoreLayout.of(db).describe(), (System.nanoTime() - start) / 1e9);
        }
        out.flush();
        return StrataCommand.OK;
    }

    private static byte[] bytes(String key) {
        return key == null ? null : key.getBytes(StandardCharsets.UTF_8);
    }
}
