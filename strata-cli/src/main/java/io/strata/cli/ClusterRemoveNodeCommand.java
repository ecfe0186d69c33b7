package io.strata.cli;

import io.strata.cluster.admin.MembershipChange;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code strata cluster remove-node}: takes a member out of the group. */
@Command(
        name = "remove-node",
        mixinStandardHelpOptions = true,
        description = {
            "Removes a member from the group.",
            "Removes a member from the group: the leader's configuration without --node (compare-and-set). The "
                    + "removed server keeps running outside the group; stop it afterwards. Removing the leader makes "
                    + "the others elect a new one."
        })
final class ClusterRemoveNodeCommand implements Callable<Integer> {
    @Mixin
    ClusterTarget target;

    @Option(names = "--node", required = true, paramLabel = "ID", description = "The id of the member to remove.")
    String node;

    @Override
    public Integer call() {
        return target.change(() -> MembershipChange.remove(target.peers, node, target.timeout(), target.tls()));
    }
}
