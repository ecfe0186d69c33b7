package io.strata.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** Commands through any node of an in-process cluster: forwarded writes, FLUSHALL as one entry, INFO. */
class ReplicatedCommandsTest {
    @TempDir
    Path dir;

    @Test
    void writesThroughAnyNodeAndFlushAllAsOneEntry() {
        try (LocalCluster c = new LocalCluster(dir, 3, 4 << 20).start()) {
            LocalCluster.Node leader = c.awaitLeader(60_000);
            LocalCluster.Node follower = c.followers(leader).get(0);
            try (Jedis l = leader.jedis();
                    Jedis f = follower.jedis()) {
                for (int i = 0; i < 2500; i++) {
                    (i % 2 == 0 ? l : f).set("k" + i, "v" + i);
                }
                assertThat(f.incr("counter")).isEqualTo(1);
                assertThat(l.incr("counter")).isEqualTo(2);
                assertThat(f.get("k2499")).isEqualTo("v2499"); // linearizable: sees the write just made
                assertThat(f.info("replication")).contains("role:follower").contains("leader_id:" + leader.id);
                assertThat(l.info("replication")).contains("role:leader");

                long before = Long.parseLong(leader.info("entries_applied"));
                assertThat(f.flushAll()).isEqualTo("OK");
                long after = Long.parseLong(leader.info("entries_applied"));
                // 2,501 keys, one entry (a standalone server deletes them 1,000 per batch)
                assertThat(after - before).isEqualTo(1);
                for (LocalCluster.Node n : c.nodes) {
                    try (Jedis j = n.jedis()) {
                        assertThat(j.dbSize()).as(n.id).isZero();
                    }
                }
                assertThat(f.set("after", "x")).isEqualTo("OK");
                assertThat(l.get("after")).isEqualTo("x");
            }
        }
    }
}
