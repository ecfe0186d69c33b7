package io.strata.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Transaction;

/**
 * MULTI/EXEC on a cluster: an EXEC is one log entry whether the client is on the leader or on a
 * follower (which forwards the whole transaction), and its writes are visible on every node;
 * WATCH runs on the leader only. One cluster serves both tests (they use different keys).
 */
class ClusterTransactionsTest {
    @TempDir
    static Path dir;

    static LocalCluster c;

    @BeforeAll
    static void start() {
        c = new LocalCluster(dir, 3, 4 << 20).start();
    }

    @AfterAll
    static void stop() {
        c.close();
    }

    @Test
    void anExecIsOneEntryThroughTheLeaderAndThroughAFollower() {
        LocalCluster.Node leader = c.awaitLeader(60_000);
        LocalCluster.Node follower = c.followers(leader).get(0);
        try (Jedis l = leader.jedis();
                Jedis f = follower.jedis()) {
            assertThat(l.set("warm", "up")).isEqualTo("OK");
            long start = leader.settled();

            Transaction t = l.multi();
            t.set("a", "1");
            t.incr("n");
            t.mset("b", "2", "c", "3");
            t.del("warm");
            assertThat(t.exec()).containsExactly("OK", 1L, "OK", 1L);
            assertThat(leader.applied()).as("one entry through the leader").isEqualTo(start + 1);

            Transaction ft = f.multi();
            ft.incr("n");
            ft.append("a", "x");
            ft.set("d", "4");
            ft.get("a");
            assertThat(ft.exec()).containsExactly(2L, 2L, "OK", "1x");
            assertThat(leader.applied()).as("one entry through a follower").isEqualTo(start + 2);

            Transaction reads = f.multi();
            reads.get("d");
            reads.exists("warm");
            assertThat(reads.exec()).containsExactly("4", false);
            assertThat(leader.applied())
                    .as("a transaction that writes nothing proposes nothing")
                    .isEqualTo(start + 2);

            for (LocalCluster.Node n : c.nodes) { // linearizable reads: they see the EXECs
                try (Jedis j = n.jedis()) {
                    assertThat(j.mget("a", "b", "c", "d", "n", "warm"))
                            .as(n.id)
                            .containsExactly("1x", "2", "3", "4", "2", null);
                }
            }

            Transaction flush = f.multi();
            flush.sendCommand(Protocol.Command.FLUSHALL, new String[0]);
            flush.set("only", "1");
            assertThat(flush.exec()).hasSize(2).last().isEqualTo("OK");
            assertThat(leader.applied())
                    .as("FLUSHALL inside EXEC joins its entry")
                    .isEqualTo(start + 3);
            for (LocalCluster.Node n : c.nodes) { // linearizable reads: they see the EXECs
                try (Jedis j = n.jedis()) {
                    assertThat(j.keys("*")).as(n.id).containsExactly("only");
                }
            }
        }
    }

    @Test
    void watchRunsOnTheLeaderAndAFollowerForwardsOnlyKeyCommands() {
        LocalCluster.Node leader = c.awaitLeader(60_000);
        LocalCluster.Node follower = c.followers(leader).get(0);
        try (Jedis l = leader.jedis();
                Jedis other = leader.jedis();
                Jedis f = follower.jedis()) {
            assertThatThrownBy(() -> f.watch("w"))
                    .hasMessage("ERR Strata cluster: WATCH runs only on the leader and this node is a follower; "
                            + "connect to the leader for transactions with WATCH");

            l.set("w", "1");
            assertThat(l.watch("w")).isEqualTo("OK");
            f.set("w", "1"); // forwarded: runs on the leader, through its keyspace
            Transaction aborted = l.multi();
            aborted.set("x", "1");
            assertThat(aborted.exec()).isNull();

            l.watch("w");
            other.set("unrelated", "1");
            Transaction kept = l.multi();
            kept.incr("w");
            assertThat(kept.exec()).containsExactly(2L);

            Transaction named = f.multi();
            named.sendCommand(Protocol.Command.CLIENT, "SETNAME", "x");
            named.set("x", "1");
            assertThatThrownBy(named::exec)
                    .hasMessage("ERR Strata cluster: on a follower a transaction may hold only commands that "
                            + "read or write keys, and CLIENT does neither; run the transaction on the leader");
            assertThat(f.get("x")).isNull();
        }
    }
}
