package io.strata.cli;

import io.strata.cluster.admin.LeaderTransfer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code strata cluster transfer-leader}: makes another member the leader. */
@Command(
        name = "transfer-leader",
        mixinStandardHelpOptions = true,
        description = {
            "Makes another member the leader.",
            "Asks the leader to hand leadership to member --to: it waits for --to to catch up, then has it start "
                    + "an election. Writes in flight meanwhile may fail with TRYAGAIN or TIMEOUT, as in any "
                    + "leader change."
        })
final class ClusterTransferLeaderCommand implements Callable<Integer> {
    @Mixin
    ClusterTarget target;

    @Option(names = "--to", required = true, paramLabel = "ID", description = "The member to make leader.")
    String to;

    @Override
    public Integer call() {
        return target.change(() -> LeaderTransfer.to(target.peers, to, target.timeout(), target.tls()));
    }
}
