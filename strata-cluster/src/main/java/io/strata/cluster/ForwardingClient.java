package io.strata.cluster;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.IOException;
import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis client a node forwards commands to its leader with, built for the group's members as
 * this node knows them now: a node started with {@code --join} knows only itself until it is
 * added, and every node sees members come and go, so the client is rebuilt when the membership
 * changes rather than kept on the peers the node started with. It never retries: a command
 * resent after its first sending failed may have run already ({@link ClusterNode#forward}
 * decides what may be sent again).
 *
 * <p>Thread-safe: {@code this} guards the client and the members it was built for.
 */
final class ForwardingClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ForwardingClient.class);

    private final RaftProperties properties;
    /** The transport's TLS, as the node's server uses it. */
    private final Parameters transport;

    @GuardedBy("this")
    private RaftClient client;

    @GuardedBy("this")
    private Set<RaftPeer> members = Set.of();

    ForwardingClient(RaftProperties properties, Parameters transport) {
        this.properties = properties;
        this.transport = transport;
    }

    /** The client for {@code current} members, built anew if they differ from the last call's. */
    private synchronized RaftClient forMembers(Collection<RaftPeer> current) {
        Set<RaftPeer> now = current.stream().collect(Collectors.toUnmodifiableSet());
        if (client == null || !now.equals(members)) {
            closeClient();
            client = RaftClient.newBuilder()
                    .setProperties(properties)
                    .setParameters(transport)
                    .setRaftGroup(RaftGroup.valueOf(ClusterNode.GROUP_ID, now))
                    .setClientId(ClientId.randomId())
                    .setRetryPolicy(RetryPolicies.noRetry())
                    .build();
            members = now;
        }
        return client;
    }

    /**
     * Sends {@code query} to {@code to} as a stale read, a gRPC call of its own that waits for
     * its reply up to the request timeout. Not on Ratis's ordered async stream: that stream
     * keeps its first failure and refuses every later request with it (a failed or unanswered
     * request to a node would fail all those after it, even once the node is back), and it sends
     * a request only after the one before it was answered.
     */
    RaftClientReply query(Collection<RaftPeer> members, Message query, RaftPeerId to) throws IOException {
        return forMembers(members).io().sendStaleRead(query, 0, to);
    }

    @Override
    public synchronized void close() {
        closeClient();
    }

    @GuardedBy("this")
    private void closeClient() {
        if (client == null) {
            return;
        }
        try {
            client.close();
        } catch (IOException e) {
            log.warn("closing the Raft client: {}", e.toString());
        }
        client = null;
    }
}
