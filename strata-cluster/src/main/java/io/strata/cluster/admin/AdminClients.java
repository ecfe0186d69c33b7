package io.strata.cluster.admin;

import io.strata.cluster.ClusterNode;
import io.strata.cluster.RaftTls;
import io.strata.server.RaftTlsFiles;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.util.TimeDuration;

/**
 * Ratis clients for the admin commands. Ratis's default retry policy retries forever; these
 * give up after {@code attempts} tries of at most {@code timeout} each, so a command against a
 * group that cannot be reached ends with an error. Retries keep the call id, so a change the
 * leader had already accepted is not applied twice.
 */
final class AdminClients {
    private static final TimeDuration PAUSE = TimeDuration.valueOf(200, TimeUnit.MILLISECONDS);
    /**
     * Ratis's shaded gRPC logs through java.util.logging, at INFO on every first connection; held
     * here because java.util.logging keeps loggers only weakly, and would forget the level.
     */
    @SuppressWarnings("UnusedVariable") // held, not read: the reference is what keeps the level
    private static final Logger GRPC_LOG = quiet("org.apache.ratis.thirdparty.io.grpc");

    private static Logger quiet(String name) {
        Logger l = Logger.getLogger(name);
        l.setLevel(Level.WARNING);
        return l;
    }

    private AdminClients() {}

    /**
     * A client of the group {@code members} that sends first to {@code leader} (null: any), over
     * mutual TLS with {@code tls} (null: plaintext).
     */
    static RaftClient of(List<RaftPeer> members, RaftPeerId leader, Duration timeout, int attempts, RaftTlsFiles tls) {
        RaftProperties p = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(timeout.toMillis(), TimeUnit.MILLISECONDS));
        RaftClient.Builder b = RaftClient.newBuilder()
                .setProperties(p)
                .setParameters(RaftTls.parameters(tls))
                .setRaftGroup(RaftGroup.valueOf(ClusterNode.GROUP_ID, members))
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(attempts - 1, PAUSE));
        if (leader != null) {
            b.setLeaderId(leader);
        }
        return b.build();
    }
}
