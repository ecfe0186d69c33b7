package io.strata.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;

/**
 * An I/O error in one follower's engine while it applies committed entries (its memtable flush
 * fails, so its engine stops taking writes) stops that node loudly: one ERROR line, INFO's
 * health, and no read or write served from a state that skipped an entry; the other two keep
 * serving.
 */
class ApplyFailureTest {
    @TempDir
    Path dir;

    @Test
    void engineErrorStopsOnlyThatNodeAndSaysSo() {
        ListAppender<ILoggingEvent> errors = new ListAppender<>();
        Logger smLog = (Logger) LoggerFactory.getLogger(StoreStateMachine.class);
        errors.start();
        smLog.addAppender(errors);
        Map<String, FailingFileSystem> disks = new HashMap<>();
        try (LocalCluster c = new LocalCluster(dir, 3, 64 * 1024)) {
            for (LocalCluster.Node n : c.nodes) {
                FailingFileSystem fs = new FailingFileSystem();
                disks.put(n.id, fs);
                n.engine = o -> o.fileSystem(fs);
            }
            c.start();
            LocalCluster.Node leader = c.awaitLeader(60_000);
            LocalCluster.Node broken = c.followers(leader).get(0);
            LocalCluster.Node healthy = c.followers(leader).get(1);
            disks.get(broken.id).fail();

            String value = "v".repeat(1000);
            int written = 0;
            try (Jedis j = leader.jedis()) {
                long deadline = System.currentTimeMillis() + 60_000;
                while (broken.cluster.failure() == null && System.currentTimeMillis() < deadline) {
                    assertThat(j.set("k" + written, value)).isEqualTo("OK");
                    written++;
                }
            }
            assertThat(broken.cluster.failure())
                    .as("the broken node's failure after %d writes", written)
                    .contains("stopped applying the replicated log")
                    .contains("injected I/O error");
            assertThat(broken.info("cluster_health")).isEqualTo("failed");
            try (Jedis j = broken.jedis()) {
                assertThatThrownBy(() -> j.get("k0")).hasMessageStartingWith("CLUSTERDOWN");
                assertThatThrownBy(() -> j.set("x", "1")).hasMessageStartingWith("CLUSTERDOWN");
                j.readonly();
                assertThatThrownBy(() -> j.get("k0")).hasMessageStartingWith("CLUSTERDOWN");
                assertThat(j.ping()).isEqualTo("PONG");
            }
            assertThat(errors.list.stream().filter(e -> e.getLevel() == Level.ERROR))
                    .as("one ERROR line")
                    .hasSize(1)
                    .first()
                    .satisfies(e -> assertThat(e.getFormattedMessage()).contains("stopped applying"));

            // The other two keep serving, reads and writes, through either of them.
            try (Jedis l = leader.jedis();
                    Jedis h = healthy.jedis()) {
                for (int i = 0; i < 100; i++) {
                    assertThat(h.set("after" + i, "x")).isEqualTo("OK");
                }
                assertThat(l.get("after99")).isEqualTo("x");
                assertThat(h.get("k0")).isEqualTo(value);
            }
            assertThat(leader.info("cluster_health")).isEqualTo("ok");
            assertThat(healthy.info("cluster_health")).isEqualTo("ok");
        } finally {
            smLog.detachAppender(errors);
        }
    }
}
