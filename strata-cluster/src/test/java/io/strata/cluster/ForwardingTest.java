package io.strata.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.server.replication.ForwardedCommands;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
}
