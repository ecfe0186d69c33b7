package io.strata.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.testkit.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** A cluster node's /metrics carries its replication figures (strata_cluster_*), as STRATA.CLUSTER INFO has them. */
class ClusterMetricsTest {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*\\})?) (\\S+)$");

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void singleNodeClusterServesClusterSeries() throws Exception {
        try (TestCluster cluster = new TestCluster(dir)) {
            int raftPort = FreePorts.next();
            TestCluster.Node n1 = cluster.start("n1", raftPort, "n1=127.0.0.1:" + raftPort, false, FreePorts.next());
            int writes = 3 * (int) TestCluster.SNAPSHOT_THRESHOLD;
            try (Jedis j = n1.jedis()) {
                for (int i = 0; i < writes; i++) {
                    assertThat(j.set("k" + i, "v" + i)).isEqualTo("OK");
                }
            }
            Map<String, String> info = n1.clusterInfo();
            Map<String, Double> m = samples(scrape(n1.server().metricsPort()));

            assertThat(m).containsEntry("strata_cluster_role{role=\"leader\"}", 1.0);
            for (String other : new String[] {"follower", "candidate", "listener", "starting"}) {
                assertThat(m).containsEntry("strata_cluster_role{role=\"" + other + "\"}", 0.0);
            }
            assertThat(m.get("strata_cluster_term")).isEqualTo(Double.parseDouble(info.get("raft_term")));
            assertThat(m.get("strata_cluster_term")).isGreaterThanOrEqualTo(1.0);
            // One entry per SET (each its own command), plus the leader's first entry of its term.
            assertThat(m.get("strata_cluster_commit_index")).isGreaterThanOrEqualTo(writes);
            assertThat(m.get("strata_cluster_applied_index")).isEqualTo(m.get("strata_cluster_commit_index"));
            assertThat(m).containsEntry("strata_cluster_apply_lag", 0.0);
            // ... and the new leader's time entry (no writes; ClusterClock).
            assertThat(m).containsEntry("strata_cluster_entries_applied_total", (double) writes + 1);
            assertThat(m).containsEntry("strata_cluster_entries_rejected_total", 0.0);
            // Snapshots are taken in the background: the scrape came after the INFO.
            assertThat(m.get("strata_cluster_snapshots_taken_total"))
                    .isGreaterThanOrEqualTo(2.0)
                    .isGreaterThanOrEqualTo(Double.parseDouble(info.get("snapshots_taken")));
            assertThat(m).containsEntry("strata_cluster_snapshot_installs_total", 0.0);
            assertThat(m).containsEntry("strata_cluster_leader_changes_total", 1.0);
            assertThat(m).containsEntry("strata_cluster_healthy", 1.0);
            // The standalone series are all still there.
            assertThat(m).containsKey("strata_connected_clients").containsKey("strata_engine_flushes_total");
        }
    }

    private static String scrape(int port) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** Every sample of a scrape: "name{labels}" to value. */
    private static Map<String, Double> samples(String text) {
        Map<String, Double> m = new HashMap<>();
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            Matcher matcher = SAMPLE.matcher(line);
            assertThat(matcher.matches()).as("sample line: %s", line).isTrue();
            m.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
        }
        return m;
    }
}
