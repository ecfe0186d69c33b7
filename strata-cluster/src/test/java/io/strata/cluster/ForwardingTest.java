package io.strata.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.cluster.admin.LeaderTransfer;
import io.strata.server.replication.ForwardedCommands;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * A command a follower forwards runs at most once: when the leader runs it and dies before
 * answering, the follower must not send it to the next leader, which would apply it a second
 * time. It says instead that the outcome is unknown. A command that cannot have reached the
 * dead leader (no connection) is sent again once a new leader is known.
 */
class ForwardingTest {
    @TempDir
    Path dir;

    @Test
    void writeWhoseLeaderDiesBeforeAnsweringIsNotRunAgain() throws InterruptedException {
        try (LocalCluster c = new LocalCluster(dir, 3, 4 << 20).start()) {
            LocalCluster.Node leader = c.awaitLeader(30_000);
            LocalCluster.Node follower = c.followers(leader).get(0);
            try (Jedis j = follower.jedis()) {
                assertThat(j.set("counter", "5")).isEqualTo("OK");
            }
            StoreStateMachine sm = leader.cluster.stateMachine();
            ForwardedCommands real = sm.commands();
            CountDownLatch ran = new CountDownLatch(1);
            sm.commands((commands, protocol, user) -> {
                byte[] reply = real.run(commands, protocol, user);
                ran.countDown();
                // The leader dies with the command applied and its reply not yet sent.
                Thread stop = new Thread(leader.server::stop);
                stop.start();
                try {
                    stop.join(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return reply;
            });

            try (Jedis j = follower.jedis()) {
                assertThatThrownBy(() -> j.incr("counter"))
                        .isInstanceOf(JedisDataException.class)
                        .hasMessageStartingWith("TIMEOUT")
                        .hasMessageContaining("may or may not have been applied");
            }
            assertThat(ran.await(0, TimeUnit.SECONDS)).isTrue();

            c.awaitLeader(30_000);
            try (Jedis j = follower.jedis()) {
                assertThat(j.get("counter")).as("the INCR ran once").isEqualTo("6");
            }
        }
    }

    @Test
    void writeSentWhileTheLeaderIsDownWaitsForTheNextLeader() {
        try (LocalCluster c = new LocalCluster(dir, 3, 4 << 20).start()) {
            LocalCluster.Node leader = c.awaitLeader(30_000);
            LocalCluster.Node follower = c.followers(leader).get(0);
            leader.server.stop();
            // The follower still takes the stopped node for the leader until an election ends:
            // the connection it cannot make sent nothing, so the write goes to the next leader.
            assertThat(follower.cluster.division().getInfo().getLeaderId().toString())
                    .isEqualTo(leader.id);
            try (Jedis j = follower.jedis()) {
                assertThat(j.incr("counter")).isEqualTo(1L);
            }
            c.awaitLeader(30_000);
            try (Jedis j = follower.jedis()) {
                assertThat(j.get("counter")).isEqualTo("1");
            }
        }
    }

    /**
     * A forward that failed once must not poison what comes after: Ratis's ordered stream to a
     * server refuses every request after its first failure, so a follower that kept its client
     * could never forward to that node again, even once it leads again.
     */
    @Test
    void aLeaderOnceUnreachableIsForwardedToAgainWhenItLeadsAgain() throws Exception {
        try (TestCluster cluster = new TestCluster(dir)) {
            List<TestCluster.Node> group = cluster.startGroup(3);
            String peers = group.stream().map(TestCluster.Node::spec).collect(Collectors.joining(","));
            TestCluster.await("a leader", () -> leader(group) != null);
            TestCluster.Node leader = leader(group);
            TestCluster.Node follower =
                    group.stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
            try (Jedis j = follower.jedis()) {
                assertThat(j.set("counter", "0")).isEqualTo("OK");
            }
            cluster.stop(leader);
            try (Jedis j = follower.jedis()) {
                assertThat(j.incr("counter")).as("sent to the next leader").isEqualTo(1L);
            }

            TestCluster.Node back = cluster.start(leader.id(), leader.raftPort(), peers, false, 0);
            List<TestCluster.Node> now =
                    group.stream().map(n -> n.equals(leader) ? back : n).toList();
            TestCluster.await(
                    "the restarted node caught up",
                    () -> Long.parseLong(back.clusterInfo().get("applied_index"))
                            >= Long.parseLong(follower.clusterInfo().get("commit_index")));
            assertThat(LeaderTransfer.to(peers, back.id(), Duration.ofSeconds(15)))
                    .endsWith(" to " + back.id());
            TestCluster.await(
                    "the restarted node leads, as the follower knows",
                    () -> back.equals(leader(now))
                            && back.id().equals(follower.clusterInfo().get("leader_id")));
            try (Jedis j = follower.jedis()) {
                assertThat(j.incr("counter"))
                        .as("forwarded to the restarted leader")
                        .isEqualTo(2L);
            }
        }
    }

    private static TestCluster.Node leader(List<TestCluster.Node> nodes) {
        return nodes.stream()
                .filter(n -> "leader".equals(n.clusterInfo().get("role")))
                .findFirst()
                .orElse(null);
    }
}
