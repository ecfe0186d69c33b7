package io.strata.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cluster.TestCluster.Node;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.util.CodeInjectionForTesting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * A node that led the group's first term and appended that term's first entry (index 0, its
 * configuration entry) where no other node got it, is stopped; another node leads and takes a
 * write; the first node, restarted with its directory, must catch up: its index 0 differs from
 * the leader's, so it has to take the leader's entries from index 0 on (issue 10: it refused them
 * for good, having taken its own index 0 for committed).
 *
 * <p>Deterministic: the followers refuse every append of the first leader's term (a Ratis test
 * hook in this JVM), so that leader's index 0 is on it alone. Several rounds, each a new group,
 * since whether the leader's first message after the back-off to index 0 is a heartbeat (which
 * triggered the bug) or the entries varies; {@code -Dstrata.rejoin.rounds=N} for more.
 */
class RejoinTest {
    private static final int ROUNDS = Integer.getInteger("strata.rejoin.rounds", 4);
    /** Ratis's hook at the start of a follower's appendEntries ({@code RaftServerImpl.APPEND_ENTRIES}). */
    private static final String APPEND_ENTRIES = "RaftServerImpl.appendEntries";

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void leaderOfTheFirstTermRejoinsAfterRestart() throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            rejoinOnce(round);
        }
    }

    private void rejoinOnce(int round) throws Exception {
        // The first leader to send an append, and its term: every follower refuses that term's appends.
        AtomicReference<String> firstLeader = new AtomicReference<>();
        AtomicLong refusedTerm = new AtomicLong(-1);
        CodeInjectionForTesting.put(APPEND_ENTRIES, (localId, leaderId, args) -> {
            long term = ((AppendEntriesRequestProto) args[1]).getLeaderTerm();
            if (refusedTerm.compareAndSet(-1, term)) {
                firstLeader.set(leaderId.toString());
            }
            if (term == refusedTerm.get()) {
                throw new IllegalStateException("test: appends of term " + term + " are refused");
            }
            return false;
        });
        try (TestCluster cluster = new TestCluster(dir.resolve("round" + round))) {
            List<Node> group = cluster.startGroup(3);
            String peers = String.join(",", group.stream().map(Node::spec).toList());
            TestCluster.await("round " + round + ": the first leader's first append", () -> firstLeader.get() != null);
            Node first = group.stream()
                    .filter(n -> n.id().equals(firstLeader.get()))
                    .findFirst()
                    .orElseThrow();
            cluster.stop(first);

            List<Node> others =
                    group.stream().filter(n -> !n.id().equals(first.id())).toList();
            Node leader = awaitLeader(others, "a leader after " + first.id());
            try (Jedis j = leader.jedis()) {
                assertThat(j.set("k", "v" + round)).isEqualTo("OK");
            }

            Node back = cluster.start(first.id(), first.raftPort(), peers, false, 0);
            long commit = Long.parseLong(leader.clusterInfo().get("commit_index"));
            TestCluster.await(
                    "round " + round + ": " + back.id() + " applying up to the leader's commit index " + commit,
                    20,
                    () -> Long.parseLong(back.clusterInfo().get("applied_index")) >= commit);
            try (Jedis j = back.jedis()) {
                assertThat(j.get("k")).as("round %d: k on %s", round, back.id()).isEqualTo("v" + round);
            }
            Map<String, String> info = back.clusterInfo();
            assertThat(info.get("cluster_health")).isEqualTo("ok");
            System.out.printf(
                    "round %d: %s led term %d alone, rejoined at applied index %s (leader %s, commit %d)%n",
                    round, first.id(), refusedTerm.get(), info.get("applied_index"), leader.id(), commit);
        } finally {
            CodeInjectionForTesting.remove(APPEND_ENTRIES);
        }
    }

    private static Node awaitLeader(List<Node> nodes, String what) throws InterruptedException {
        Node[] found = new Node[1];
        TestCluster.await(what, 45, () -> {
            Optional<Node> l = nodes.stream()
                    .filter(n -> "leader".equals(n.clusterInfo().get("role")))
                    .findFirst();
            l.ifPresent(n -> found[0] = n);
            return l.isPresent();
        });
        return found[0];
    }
}
