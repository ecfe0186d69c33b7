package io.strata.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Scripts on a cluster: an EVAL that writes is one log entry whether the client is on the
 * leader or on a follower (which forwards it to the leader as an EVAL with the body, so an
 * EVALSHA of a script only the follower loaded works too, and caches it on the leader); its
 * writes are visible on every node; EVAL_RO, and a script that writes nothing, propose nothing.
 */
class ClusterScriptsTest {
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

    static final String WRITES = "redis.call('set', KEYS[1], ARGV[1]) redis.call('incr', KEYS[2]) "
            + "redis.call('append', KEYS[1], 'x') return redis.call('get', KEYS[1])";

    @Test
    void anEvalIsOneEntryThroughTheLeaderAndThroughAFollower() {
        LocalCluster.Node leader = c.awaitLeader(60_000);
        LocalCluster.Node follower = c.followers(leader).get(0);
        try (Jedis l = leader.jedis();
                Jedis f = follower.jedis()) {
            assertThat(l.set("warm", "up")).isEqualTo("OK");
            long start = leader.settled();

            assertThat(l.eval(WRITES, List.of("s:a", "s:n"), List.of("1"))).isEqualTo("1x");
            assertThat(leader.applied()).as("one entry through the leader").isEqualTo(start + 1);

            assertThat(f.eval(WRITES, List.of("s:b", "s:n"), List.of("2"))).isEqualTo("2x");
            assertThat(leader.applied()).as("one entry through a follower").isEqualTo(start + 2);

            String sha = f.scriptLoad("return redis.call('incrby', KEYS[1], ARGV[1])");
            assertThat(l.scriptExists(sha))
                    .as("SCRIPT LOAD loads on the node it is sent to")
                    .isFalse();
            assertThat(f.evalsha(sha, List.of("s:n"), List.of("10"))).isEqualTo(12L);
            assertThat(leader.applied()).as("EVALSHA forwarded as one EVAL").isEqualTo(start + 3);
            assertThat(l.scriptExists(sha))
                    .as("the forwarded EVAL cached it on the leader")
                    .isTrue();
            assertThatThrownBy(() -> f.evalsha("ffffffffffffffffffffffffffffffffffffffff", List.of(), List.of()))
                    .isInstanceOf(JedisDataException.class)
                    .hasMessage("NOSCRIPT No matching script. Please use EVAL.");

            assertThat(f.evalReadonly("return redis.call('get', KEYS[1])", List.of("s:b"), List.of()))
                    .isEqualTo("2x");
            assertThat(f.eval("return redis.call('get', KEYS[1])", List.of("s:a"), List.of()))
                    .as("a script that writes nothing proposes nothing")
                    .isEqualTo("1x");
            assertThat(leader.applied()).isEqualTo(start + 3);

            for (LocalCluster.Node n : c.nodes) { // linearizable reads: they see the scripts' writes
                try (Jedis j = n.jedis()) {
                    assertThat(j.mget("s:a", "s:b", "s:n")).as(n.id).containsExactly("1x", "2x", "12");
                }
            }
        }
    }
}
