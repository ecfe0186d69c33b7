package io.strata.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code strata sst}: tools for single SSTable files. */
@Command(
        name = "sst",
        mixinStandardHelpOptions = true,
        description = "Inspect SSTable files.",
        subcommands = SstDumpCommand.class)
public final class SstCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw StrataCommand.missingSubcommand(spec);
    }
}
