package io.strata.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** Commands through any node of an in-process cluster: forwarded writes, FLUSHALL as one entry, INFO, ACL. */
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

    /**
     * ACL is checked on the node the client is connected to, before a write is forwarded: a
     * refused write never reaches the leader. The leader runs a forwarded write as its user
     * unrestricted (the forwarding member checked it), so a user that exists only on the
     * follower writes through it too.
     */
    @Test
    void aclIsCheckedWhereTheClientIsConnected() {
        try (LocalCluster c = new LocalCluster(dir, 3, 4 << 20).start()) {
            LocalCluster.Node leader = c.awaitLeader(60_000);
            LocalCluster.Node follower = c.followers(leader).get(0);
            for (LocalCluster.Node n : c.nodes) {
                try (Jedis j = n.jedis()) {
                    j.aclSetUser("app", "on", ">a", "~app:*", "+@all", "-@dangerous");
                }
            }
            try (Jedis admin = follower.jedis()) {
                admin.aclSetUser("ghost", "on", ">g", "~g:*", "+set");
            }
            try (Jedis f = follower.jedis();
                    Jedis l = leader.jedis()) {
                f.auth("app", "a");
                assertThat(f.set("app:1", "v")).isEqualTo("OK");
                assertThat(l.get("app:1")).isEqualTo("v");
                long before = Long.parseLong(leader.info("entries_applied"));
                assertThatThrownBy(() -> f.set("other", "x")).hasMessage("NOPERM No permissions to access a key");
                assertThatThrownBy(f::flushAll).hasMessageContaining("'flushall' command");
                assertThat(Long.parseLong(leader.info("entries_applied"))).isEqualTo(before);
                assertThat(l.exists("other")).isFalse();
                assertThat(l.aclLog()).as("the leader saw no refused command").isEmpty();
                f.auth("ghost", "g");
                assertThat(f.set("g:1", "v")).isEqualTo("OK");
                assertThat(l.get("g:1")).isEqualTo("v");
                assertThat(l.aclGetUser("ghost")).as("unknown to the leader").isNull();
                f.auth("default", "");
                assertThat(f.aclLog()).hasSize(2);
            }
        }
    }
}
