package io.strata.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code strata cluster}: a running cluster's status and membership (io.strata.cluster.admin does the work). */
@Command(
        name = "cluster",
        mixinStandardHelpOptions = true,
        description = "Inspect a running Strata cluster and change its members and leader.",
        subcommands = {
            ClusterStatusCommand.class,
            ClusterAddNodeCommand.class,
            ClusterRemoveNodeCommand.class,
            ClusterTransferLeaderCommand.class
        })
public final class ClusterCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw StrataCommand.missingSubcommand(spec);
    }
}
