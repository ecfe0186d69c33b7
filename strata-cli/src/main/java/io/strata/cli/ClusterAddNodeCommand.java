package io.strata.cli;

import io.strata.cluster.admin.MembershipChange;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code strata cluster add-node}: adds a node started with --join. */
@Command(
        name = "add-node",
        mixinStandardHelpOptions = true,
        description = {
            "Adds a node started with --join to the group.",
            "Adds a node to the group: the leader's configuration plus --node, set with Ratis's setConfiguration "
                    + "(compare-and-set: refused if the configuration changed meanwhile). Start the node first, with "
                    + "--join and --peers naming itself. Returns once the node has caught up and the new "
                    + "configuration is committed."
        })
final class ClusterAddNodeCommand implements Callable<Integer> {
    @Mixin
    ClusterTarget target;

    @Option(
            names = "--node",
            required = true,
            paramLabel = "ID=HOST:PORT",
            description = "The new node's id and Raft address.")
    String node;

    @Override
    public Integer call() {
        return target.change(() -> MembershipChange.add(target.peers, node, target.timeout(), target.tls()));
    }
}
