package io.strata.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code strata db}: tools for a store directory. */
@Command(
        name = "db",
        mixinStandardHelpOptions = true,
        description = "Verify and inspect a store directory.",
        subcommands = {DbVerifyCommand.class, DbStatsCommand.class, DbCompactCommand.class})
public final class DbCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw StrataCommand.missingSubcommand(spec);
    }
}
