package io.strata.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole cluster restarted, after a clean shutdown and after SIGKILL of every node at once
 * during a write load: no acknowledged write is lost and every node's data is the same. With the
 * engines' WAL off, what the engines had not flushed comes back from the Raft log.
 */
class ClusterRestartTest {
    @TempDir
    Path dir;

    @Test
    void restartAfterCleanShutdownAndAfterKillingAllNodes() {
        try (ProcessCluster c = new ProcessCluster(dir, 3, ProcessCluster.SMALL_LOG).start()) {
            c.awaitLeader(90_000);
            WriteLoad first = new WriteLoad(c.nodes, 6, 200).start().finish();
            assertThat(first.acked).hasSizeGreaterThan(1000);
            c.nodes.forEach(NodeProcess::stop);
            c.nodes.forEach(NodeProcess::start);
            c.awaitConverged(90_000);
            assertAllHold(c, first.acked);

            WriteLoad second = new WriteLoad(c.nodes, 6, 1_000_000).start();
            ProcessCluster.sleep(4000);
            c.nodes.forEach(NodeProcess::kill);
            second.close();
            assertThat(second.acked).as("writes acknowledged before the kill").isNotEmpty();
            c.nodes.forEach(NodeProcess::start);
            c.awaitConverged(90_000);
            assertAllHold(c, first.acked);
            assertAllHold(c, second.acked);
            System.out.printf(
                    "restart: %d + %d acknowledged writes all present on the 3 nodes%n",
                    first.acked.size(), second.acked.size());
        }
    }

    private static void assertAllHold(ProcessCluster c, Map<String, String> acked) {
        Map<String, String> reference = ProcessCluster.scan(c.nodes.get(0));
        for (NodeProcess n : c.nodes) {
            LeaderFailoverTest.assertHolds(n, acked);
            assertThat(ProcessCluster.scan(n))
                    .as("node %s equals node n1", n.id)
                    .isEqualTo(reference);
        }
    }
}
