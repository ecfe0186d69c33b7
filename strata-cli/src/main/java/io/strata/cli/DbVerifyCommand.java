package io.strata.cli;

import io.strata.tools.StoreVerifier;
import io.strata.tools.Text;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code strata db verify}: checks every checksum of a store without opening it for writing. */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Checks a store without modifying it: CURRENT and the MANIFEST, every block of every live "
                    + "table (checksums, entries, key order, index, bloom filter, key range), and every record of the "
                    + "live WAL segments. Prints one line per file and a summary; exits 1 if any file is damaged.",
            "Every file is opened read-only and the store's LOCK is not taken, so a store that is open in "
                    + "another process can be verified; but a flush running meanwhile may delete a file after the "
                    + "MANIFEST named it (reported as missing), so only a closed store gives a definitive answer."
        })
public final class DbVerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "<dir>", description = "The store directory.")
    Path dir;

    @Override
    public Integer call() throws Exception {
        PathChecks.requireDirectory(dir);
        if (PathChecks.storeFiles(dir).isEmpty()) {
            throw new CliException(StrataCommand.USAGE, "no Strata store in " + dir + " (no store files)");
        }
        Map<String, String> problems =
                StoreVerifier.verify(dir, spec.commandLine().getOut());
        if (problems.isEmpty()) {
            return StrataCommand.OK;
        }
        throw new CliException(
                StrataCommand.FAILED,
                "corruption found in "
                        + Text.count(problems.size(), "file", "files") + ": "
                        + String.join(", ", problems.keySet()));
    }
}
