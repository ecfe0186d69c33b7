package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cluster.ClusterNode;
import io.strata.server.ServerConfig;
import io.strata.server.StrataServer;
import io.strata.server.replication.ClusterSettings;
import io.strata.testkit.FreePorts;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code strata cluster}: its exit codes and what it prints, against a one-node group and nothing. */
class ClusterCommandTest {
    @TempDir
    Path dir;

    @Test
    void usageErrorsExitWith2() {
        assertThat(Cli.run("cluster").exitCode()).isEqualTo(2);
        assertThat(Cli.run("cluster", "status").err()).contains("Missing required option: '--peers");
        Cli.Result bad = Cli.run("cluster", "status", "--peers", "n1");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--peers: 'n1' is not id=host:port");
        Cli.Result node = Cli.run("cluster", "add-node", "--peers", "n1=127.0.0.1:1", "--node", "n2=nowhere");
        assertThat(node.exitCode()).isEqualTo(2);
        assertThat(node.err()).contains("--node: 'nowhere' is not host:port");
        assertThat(Cli.run("cluster", "remove-node", "--peers", "n1=127.0.0.1:1")
                        .exitCode())
                .isEqualTo(2);
        assertThat(Cli.run("cluster", "status", "--peers", "n1=127.0.0.1:1", "--timeout", "5")
                        .exitCode())
                .isEqualTo(2);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aGroupThatCannotBeReachedFailsWith1() throws IOException {
        String peers = "n1=127.0.0.1:" + FreePorts.next() + ",n2=127.0.0.1:" + FreePorts.next();
        Cli.Result status = Cli.run("cluster", "status", "--peers", peers, "--timeout", "1000");
        assertThat(status.exitCode()).isEqualTo(1);
        assertThat(status.out())
                .contains("leader: none known")
                .containsPattern("n1 +127\\.0\\.0\\.1:\\d+ +unreachable");
        assertThat(status.err()).isEqualTo("strata cluster status: no leader known\n");
        Cli.Result transfer =
                Cli.run("cluster", "transfer-leader", "--peers", peers, "--to", "n2", "--timeout", "1000");
        assertThat(transfer.exitCode()).isEqualTo(1);
        assertThat(transfer.err())
                .startsWith("strata cluster transfer-leader: no leader among the nodes asked: n1 " + "unreachable (");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void statusAndRefusedChangesOnAOneNodeGroup() throws IOException {
        int raftPort = FreePorts.next();
        String peers = "n1=127.0.0.1:" + raftPort;
        ServerConfig config = oneNode(dir, raftPort);
        StrataServer server = new StrataServer(config, new ClusterNode(config)).start();
        try {
            // Until the new leader has committed its first entry (its commit index is -1 before).
            String row = "n1 +127\\.0\\.0\\.1:" + raftPort + " +leader +[1-9]\\d* +\\d+ +\\d+ +-?\\d+";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            Cli.Result status = Cli.run("cluster", "status", "--peers", peers);
            while (!status.out().matches("(?s).*" + row + ".*") && System.nanoTime() < deadline) {
                status = Cli.run("cluster", "status", "--peers", peers);
            }
            assertThat(status.exitCode()).as(status.err()).isEqualTo(0);
            assertThat(status.out())
                    .startsWith("leader: n1 (term ")
                    .contains("members: " + peers + "\n")
                    .containsPattern(row);

            Cli.Result same = Cli.run("cluster", "transfer-leader", "--peers", peers, "--to", "n1");
            assertThat(same.exitCode()).isEqualTo(0);
            assertThat(same.out()).startsWith("n1 already leads");

            Cli.Result last = Cli.run("cluster", "remove-node", "--peers", peers, "--node", "n1");
            assertThat(last.exitCode()).isEqualTo(1);
            assertThat(last.err()).isEqualTo("strata cluster remove-node: cannot remove n1, the only member\n");

            Cli.Result unknown = Cli.run("cluster", "transfer-leader", "--peers", peers, "--to", "n7");
            assertThat(unknown.exitCode()).isEqualTo(1);
            assertThat(unknown.err()).contains("n7 is not a member (" + peers + ")");

            Cli.Result absent =
                    Cli.run("cluster", "add-node", "--peers", peers, "--node", "n2=127.0.0.1:" + FreePorts.next());
            assertThat(absent.exitCode()).isEqualTo(1);
            assertThat(absent.err()).contains("cannot reach n2 at 127.0.0.1:").contains("start it first, with --join");
        } finally {
            server.stop();
        }
    }

    /** The settings of node n1 of a group of one, its Raft traffic on {@code raftPort}, its data below {@code dir}. */
    static ServerConfig oneNode(Path dir, int raftPort) {
        return new ServerConfig()
                .dir(dir.resolve("n1"))
                .port(0)
                .cluster(new ClusterSettings(
                        "n1",
                        raftPort,
                        "n1=127.0.0.1:" + raftPort,
                        ClusterSettings.DEFAULT_SNAPSHOT_THRESHOLD,
                        ClusterSettings.DEFAULT_SEGMENT_SIZE,
                        ClusterSettings.DEFAULT_ELECTION_TIMEOUT_MS,
                        ClusterSettings.DEFAULT_REQUEST_TIMEOUT_MS,
                        false,
                        false));
    }
}
