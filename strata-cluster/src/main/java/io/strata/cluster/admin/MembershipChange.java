package io.strata.cluster.admin;

import io.strata.cluster.Peers;
import io.strata.server.RaftTlsFiles;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.SetConfigurationRequest;

/**
 * {@code strata cluster add-node} and {@code remove-node}: a new configuration, the leader's
 * current one with one node more or less, set through Ratis's admin API. The change is a
 * compare-and-set against the configuration the leader reported, so two changes made at once
 * cannot silently undo each other: the second is refused. Ratis commits it only once an added
 * node has caught up with the log (by snapshot where the log was purged), so when this returns
 * the new node holds the group's data.
 */
public final class MembershipChange {
    /** Tries of the change itself; a leader change mid-way costs one. */
    private static final int ATTEMPTS = 3;

    private MembershipChange() {}

    /**
     * Adds {@code node} ({@code id=host:port}, a server started with --join) to the group that
     * {@code peers} reach; returns the line that says so.
     */
    public static String add(String peers, String node, Duration timeout) {
        return add(peers, node, timeout, null);
    }

    /** The same over mutual TLS with {@code tls} (null: plaintext). */
    public static String add(String peers, String node, Duration timeout, RaftTlsFiles tls) {
        RaftPeer added = single(node);
        GroupSurvey survey = GroupSurvey.take(peers, timeout, tls);
        NodeReport leader = survey.requireLeader();
        List<RaftPeer> current = current(leader);
        for (RaftPeer p : current) {
            if (p.getId().equals(added.getId())) {
                throw new AdminException(added.getId() + " is already a member (" + ClusterStatus.list(current) + ")");
            }
            if (p.getAddress().equals(added.getAddress())) {
                throw new AdminException("member " + p.getId() + " already has the address " + p.getAddress());
            }
        }
        NodeReport probe = GroupSurvey.take(node, timeout, tls).nodes().get(0);
        if (!probe.reachable()) {
            throw new AdminException("cannot reach " + added.getId() + " at " + added.getAddress() + " ("
                    + probe.unreachable() + "): start it first, with --join");
        }
        List<RaftPeer> next = new ArrayList<>(current);
        next.add(added);
        set(leader, current, next, timeout, tls);
        return "added " + added.getId() + "; members: " + ClusterStatus.list(next);
    }

    /** Removes node {@code id} from the group that {@code peers} reach; returns the line that says so. */
    public static String remove(String peers, String id, Duration timeout) {
        return remove(peers, id, timeout, null);
    }

    /** The same over mutual TLS with {@code tls} (null: plaintext). */
    public static String remove(String peers, String id, Duration timeout, RaftTlsFiles tls) {
        GroupSurvey survey = GroupSurvey.take(peers, timeout, tls);
        NodeReport leader = survey.requireLeader();
        List<RaftPeer> current = current(leader);
        List<RaftPeer> next =
                current.stream().filter(p -> !p.getId().toString().equals(id)).toList();
        if (next.size() == current.size()) {
            throw new AdminException(id + " is not a member (" + ClusterStatus.list(current) + ")");
        }
        if (next.isEmpty()) {
            throw new AdminException("cannot remove " + id + ", the only member");
        }
        set(leader, current, next, timeout, tls);
        return "removed " + id + "; members: " + ClusterStatus.list(next);
    }

    private static List<RaftPeer> current(NodeReport leader) {
        if (leader.changing()) {
            throw new AdminException("a membership change is under way on leader " + leader.id() + "; try again");
        }
        return leader.configuration();
    }

    private static void set(
            NodeReport leader, List<RaftPeer> current, List<RaftPeer> next, Duration timeout, RaftTlsFiles tls) {
        SetConfigurationRequest.Arguments change = SetConfigurationRequest.Arguments.newBuilder()
                .setServersInCurrentConf(current)
                .setServersInNewConf(next)
                .setMode(SetConfigurationRequest.Mode.COMPARE_AND_SET)
                .build();
        List<RaftPeer> everyone = new ArrayList<>(current);
        next.stream().filter(p -> !current.contains(p)).forEach(everyone::add);
        try (RaftClient client = AdminClients.of(everyone, leader.peer().getId(), timeout, ATTEMPTS, tls)) {
            RaftClientReply reply = client.admin().setConfiguration(change);
            if (!reply.isSuccess()) {
                throw new AdminException(
                        "the leader refused the change: " + GroupSurvey.describe(reply.getException()));
            }
        } catch (IOException e) {
            throw new AdminException("the change failed: " + GroupSurvey.describe(e), e);
        }
    }

    /** One {@code id=host:port}. */
    static RaftPeer single(String node) {
        try {
            List<RaftPeer> parsed = Peers.parse(node);
            if (parsed.size() != 1) {
                throw new IllegalArgumentException("--node: give one node, id=host:port, got " + node);
            }
            return parsed.get(0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replaceFirst("^--peers", "--node"), e);
        }
    }
}
