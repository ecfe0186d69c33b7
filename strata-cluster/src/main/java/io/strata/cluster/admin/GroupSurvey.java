package io.strata.cluster.admin;

import io.strata.cluster.ClusterNode;
import io.strata.cluster.Peers;
import io.strata.server.RaftTlsFiles;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftPeer;

/**
 * The group as its nodes report it: each node of a peer list asked for its group info (in
 * parallel, each with a bounded retry), plus any member of a reachable node's configuration that
 * the list left out. Nodes that cannot be reached are reported as such, not as a failure.
 */
public final class GroupSurvey {
    /** Tries per node: a node that is down answers neither, and costs at most this many timeouts. */
    private static final int ATTEMPTS = 2;

    private final List<NodeReport> nodes;

    private GroupSurvey(List<NodeReport> nodes) {
        this.nodes = nodes;
    }

    /**
     * Asks every node of {@code peers} ({@code id=host:port,...}), each waiting at most
     * {@code timeout} per try.
     *
     * @throws IllegalArgumentException when {@code peers} is not a peer list
     */
    public static GroupSurvey take(String peers, Duration timeout) {
        return take(peers, timeout, null);
    }

    /** The same over mutual TLS with {@code tls} (null: plaintext). */
    public static GroupSurvey take(String peers, Duration timeout, RaftTlsFiles tls) {
        Map<String, NodeReport> byId = new LinkedHashMap<>();
        List<RaftPeer> ask = Peers.parse(peers);
        // The list, then the members that the reachable nodes' configurations name and the list left
        // out (the leader may be one); each round asks only nodes not asked before, so three rounds
        // reach every node that a chain of configurations names from the list.
        for (int round = 0; round < 3 && !ask.isEmpty(); round++) {
            ask(ask, timeout, tls).forEach(r -> byId.put(r.id(), r));
            Map<String, RaftPeer> named = new LinkedHashMap<>();
            byId.values().stream()
                    .filter(NodeReport::reachable)
                    .flatMap(r -> r.configuration().stream())
                    .filter(p -> !byId.containsKey(p.getId().toString()))
                    .forEach(p -> named.putIfAbsent(p.getId().toString(), p));
            ask = List.copyOf(named.values());
        }
        return new GroupSurvey(List.copyOf(byId.values()));
    }

    private static List<NodeReport> ask(List<RaftPeer> peers, Duration timeout, RaftTlsFiles tls) {
        ExecutorService pool = Executors.newFixedThreadPool(peers.size(), r -> {
            Thread t = new Thread(r, "strata-cluster-survey");
            t.setDaemon(true);
            return t;
        });
        try (RaftClient client = AdminClients.of(peers, null, timeout, ATTEMPTS, tls)) {
            List<CompletableFuture<NodeReport>> replies = new ArrayList<>();
            for (RaftPeer p : peers) {
                replies.add(CompletableFuture.supplyAsync(() -> ask(client, p), pool));
            }
            return replies.stream().map(CompletableFuture::join).toList();
        } catch (IOException e) {
            throw new AdminException("cannot close the Raft client: " + e.getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static NodeReport ask(RaftClient client, RaftPeer p) {
        try {
            return new NodeReport(p, client.getGroupManagementApi(p.getId()).info(ClusterNode.GROUP_ID), null);
        } catch (IOException | RuntimeException e) {
            return new NodeReport(p, null, describe(e));
        }
    }

    /** The innermost message of a failure, which says what happened (refused, timed out, no such group). */
    static String describe(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return t.getClass().getSimpleName()
                + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }

    public List<NodeReport> nodes() {
        return nodes;
    }

    /** The reachable node that reports itself leader in the highest term (two may claim it briefly). */
    public Optional<NodeReport> leader() {
        return nodes.stream().filter(NodeReport::isLeader).max(Comparator.comparingLong(NodeReport::term));
    }

    /** The leader, or an error saying what each node answered. */
    public NodeReport requireLeader() {
        return leader().orElseThrow(() -> new AdminException("no leader among the nodes asked: " + summary()));
    }

    /** One line: each node's id and role, or why it could not be reached. */
    String summary() {
        return nodes.stream()
                .map(n -> n.id() + " " + (n.reachable() ? n.role() : "unreachable (" + n.unreachable() + ")"))
                .collect(Collectors.joining("; "));
    }
}
