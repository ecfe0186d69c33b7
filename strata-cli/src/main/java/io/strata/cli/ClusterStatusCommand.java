package io.strata.cli;

import io.strata.cluster.admin.ClusterStatus;
import io.strata.cluster.admin.GroupSurvey;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code strata cluster status}: each node's view of the group, and who leads. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = {
            "Who leads, the members, and each node's role, term and log indexes.",
            "Asks every node of --peers (and every member that a reachable node's configuration names) for its "
                    + "group info and prints who leads, the leader's configuration, and per node its role, term, "
                    + "commit, applied and snapshot index; nodes that cannot be reached are listed as unreachable, "
                    + "with why.",
            "TERM is the leader's current term; for another node, the term of its newest log entry.",
            "Exit status 0 when a leader is known, 1 when none is (no node reachable, or no leader elected)."
        })
final class ClusterStatusCommand implements Callable<Integer> {
    @Mixin
    ClusterTarget target;

    @Override
    public Integer call() {
        GroupSurvey survey = target.call(() -> GroupSurvey.take(target.peers, target.timeout(), target.tls()));
        target.print(ClusterStatus.render(survey));
        if (survey.leader().isEmpty()) {
            throw new CliException(StrataCommand.FAILED, "no leader known");
        }
        return StrataCommand.OK;
    }
}
