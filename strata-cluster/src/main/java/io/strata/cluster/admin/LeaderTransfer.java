package io.strata.cluster.admin;

import io.strata.server.RaftTlsFiles;
import java.io.IOException;
import java.time.Duration;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeer;

/**
 * {@code strata cluster transfer-leader}: asks the leader to hand leadership to another member
 * (Ratis's transferLeadership: the leader waits for the target to catch up, then has it start
 * an election at once), and returns once the leader replied that the transfer succeeded.
 */
public final class LeaderTransfer {
    private static final int ATTEMPTS = 2;
    /** Transfers tried when another member wins the election meanwhile. */
    private static final int ROUNDS = 3;

    private LeaderTransfer() {}

    /**
     * Makes member {@code id} of the group that {@code peers} reach its leader; returns the line that
     * says so. An election that another member wins meanwhile (Ratis's DIFFERENT_LEADER, common on a
     * loaded machine) is retried from the new leader, up to {@link #ROUNDS} times.
     */
    public static String to(String peers, String id, Duration timeout) {
        return to(peers, id, timeout, null);
    }

    /** The same over mutual TLS with {@code tls} (null: plaintext). */
    public static String to(String peers, String id, Duration timeout, RaftTlsFiles tls) {
        for (int round = 1; ; round++) {
            try {
                return once(peers, id, timeout, tls);
            } catch (AdminException e) {
                if (round == ROUNDS || !String.valueOf(e.getMessage()).contains("DIFFERENT_LEADER")) {
                    throw e;
                }
            }
        }
    }

    private static String once(String peers, String id, Duration timeout, RaftTlsFiles tls) {
        GroupSurvey survey = GroupSurvey.take(peers, timeout, tls);
        NodeReport leader = survey.requireLeader();
        RaftPeer target = leader.configuration().stream()
                .filter(p -> p.getId().toString().equals(id))
                .findFirst()
                .orElseThrow(() -> new AdminException(
                        id + " is not a member (" + ClusterStatus.list(leader.configuration()) + ")"));
        if (leader.id().equals(id)) {
            return id + " already leads (term " + leader.term() + ")";
        }
        try (RaftClient client =
                AdminClients.of(leader.configuration(), leader.peer().getId(), timeout, ATTEMPTS, tls)) {
            RaftClientReply reply = client.admin().transferLeadership(target.getId(), timeout.toMillis());
            if (!reply.isSuccess()) {
                throw new AdminException(
                        "the leader refused the transfer: " + GroupSurvey.describe(reply.getException()));
            }
        } catch (IOException e) {
            throw new AdminException("the transfer failed: " + GroupSurvey.describe(e), e);
        }
        return "leadership transferred from " + leader.id() + " to " + id;
    }
}
