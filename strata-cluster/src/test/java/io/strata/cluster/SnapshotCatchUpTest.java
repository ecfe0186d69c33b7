package io.strata.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * A follower stopped while the log advances past a purge catches up by snapshot installation
 * and then holds exactly the leader's data; then the same again on the same node (a second
 * installation, after which a state machine that does not drive its own lifecycle dies).
 */
class SnapshotCatchUpTest {
    @TempDir
    Path dir;

    @Test
    void lateFollowerCatchesUpBySnapshotTwice() {
        try (ProcessCluster c = new ProcessCluster(dir, 3, ProcessCluster.SMALL_LOG).start()) {
            NodeProcess leader = c.awaitLeader(90_000);
            NodeProcess late =
                    c.nodes.stream().filter(n -> n != leader).findFirst().orElseThrow();
            for (int round = 1; round <= 2; round++) {
                late.kill();
                try (Jedis j = leader.jedis()) {
                    // Far past the snapshot threshold (200) and several 64 KiB segments: purged.
                    for (int i = 0; i < 1500; i++) {
                        assertThat(j.set("r" + round + ":" + i, "v".repeat(100) + i))
                                .isEqualTo("OK");
                    }
                }
                late.start();
                c.awaitConverged(90_000);
                Map<String, String> info = clusterInfo(late);
                assertThat(Long.parseLong(info.get("snapshot_installs")))
                        .as("installs on %s after round %d\n%s", late.id, round, c.logs())
                        .isGreaterThanOrEqualTo(1);
                assertThat(ProcessCluster.scan(late)).isEqualTo(ProcessCluster.scan(leader));
                // It keeps applying after the installation.
                try (Jedis j = leader.jedis()) {
                    j.set("after" + round, "x");
                }
                c.awaitConverged(30_000);
                try (Jedis j = late.jedis()) {
                    assertThat(j.get("after" + round)).isEqualTo("x");
                }
            }
        }
    }

    static Map<String, String> clusterInfo(NodeProcess n) {
        try (Jedis j = n.jedis()) {
            String text = redis.clients.jedis.util.SafeEncoder.encode((byte[])
                    j.sendCommand(() -> redis.clients.jedis.util.SafeEncoder.encode("STRATA.CLUSTER"), "INFO"));
            Map<String, String> m = new java.util.HashMap<>();
            text.lines().forEach(l -> {
                int i = l.indexOf(':');
                if (i > 0) {
                    m.put(l.substring(0, i), l.substring(i + 1));
                }
            });
            return m;
        }
    }
}
