package io.strata.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

/**
 * Expiry times are decided once, by the leader's clock, and replicated as absolute times: a
 * follower whose clock is an hour ahead agrees on when a key expires, whether the command came
 * through the leader or through that follower (which forwards it).
 */
class DeterministicTtlTest {
    private static final long SKEW = 3_600_000;

    @TempDir
    Path dir;

    @Test
    void followerWithSkewedClockAgreesOnExpiry() {
        try (LocalCluster c = new LocalCluster(dir, 3, 4 << 20)) {
            AtomicLong[] offsets = new AtomicLong[3];
            for (int i = 0; i < 3; i++) {
                AtomicLong offset = new AtomicLong();
                offsets[i] = offset;
                c.nodes.get(i).clock = () -> System.currentTimeMillis() + offset.get();
            }
            c.start();
            LocalCluster.Node leader = c.awaitLeader(60_000);
            LocalCluster.Node skewed = c.followers(leader).get(0);
            offsets[c.nodes.indexOf(skewed)].set(SKEW);

            try (Jedis l = leader.jedis();
                    Jedis s = skewed.jedis()) {
                long before = System.currentTimeMillis();
                assertThat(l.set("via-leader", "v", SetParams.setParams().ex(100)))
                        .isEqualTo("OK");
                assertThat(s.set("via-follower", "v", SetParams.setParams().px(100_000)))
                        .isEqualTo("OK");
                assertThat(s.set("expire-me", "v")).isEqualTo("OK");
                assertThat(s.expire("expire-me", 100)).isEqualTo(1);
                assertThat(s.getEx(
                                "getex-me",
                                redis.clients.jedis.params.GetExParams.getExParams()
                                        .ex(1)))
                        .isNull();
                long after = System.currentTimeMillis();
                for (String key : new String[] {"via-leader", "via-follower", "expire-me"}) {
                    long atLeader = l.pexpireTime(key);
                    s.readonly();
                    long atFollower = s.pexpireTime(key);
                    s.readwrite();
                    assertThat(atFollower).as(key).isEqualTo(atLeader);
                    // Decided by the leader's clock, not the follower's hour-ahead one.
                    assertThat(atLeader).as(key).isBetween(before + 100_000, after + 100_000);
                    // Live on the follower too: it measures expiry on the group's clock, not its own.
                    assertThat(s.get(key)).as(key).isEqualTo("v");
                }
            }
        }
    }
}
