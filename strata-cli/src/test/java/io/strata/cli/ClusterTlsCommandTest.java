package io.strata.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cluster.ClusterNode;
import io.strata.server.RaftTlsFiles;
import io.strata.server.ServerConfig;
import io.strata.server.StrataServer;
import io.strata.testkit.FreePorts;
import io.strata.testkit.TestCa;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strata cluster status} against a node whose Raft traffic needs mutual TLS: with a
 * certificate of the cluster's CA it is answered; without TLS, or with another CA's certificate,
 * the node is unreachable; the TLS options given in part are a usage error.
 */
class ClusterTlsCommandTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void statusOverMutualTls() throws Exception {
        TestCa ca = TestCa.create(dir.resolve("ca"), "cluster");
        TestCa other = TestCa.create(dir.resolve("other"), "other");
        TestCa.Issued node = ca.issue("n1");
        TestCa.Issued admin = ca.issue("admin");
        TestCa.Issued stranger = other.issue("stranger");
        int raftPort = FreePorts.next();
        String peers = "n1=127.0.0.1:" + raftPort;
        ServerConfig config =
                ClusterCommandTest.oneNode(dir, raftPort).raftTls(new RaftTlsFiles(node.cert(), node.key(), ca.cert()));
        StrataServer server = new StrataServer(config, new ClusterNode(config)).start();
        try {
            List<Object> withTls = new ArrayList<>(List.of("cluster", "status", "--peers", peers));
            withTls.addAll(tls(admin.cert(), admin.key(), ca.cert()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            Cli.Result status = Cli.run(withTls.toArray());
            while (status.exitCode() != 0 && System.nanoTime() < deadline) {
                status = Cli.run(withTls.toArray());
            }
            assertThat(status.exitCode()).as(status.err()).isZero();
            assertThat(status.out()).startsWith("leader: n1 (term ").contains("members: " + peers);

            Cli.Result plain = Cli.run("cluster", "status", "--peers", peers, "--timeout", "1000");
            assertThat(plain.exitCode()).isEqualTo(1);
            assertThat(plain.out())
                    .contains("leader: none known")
                    .containsPattern("n1 +127\\.0\\.0\\.1:\\d+ +unreachable");

            List<Object> strangers =
                    new ArrayList<>(List.of("cluster", "status", "--peers", peers, "--timeout", "1000"));
            strangers.addAll(tls(stranger.cert(), stranger.key(), other.cert()));
            Cli.Result refused = Cli.run(strangers.toArray());
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.out()).contains("leader: none known");

            Cli.Result partial = Cli.run(
                    "cluster",
                    "status",
                    "--peers",
                    peers,
                    "--raft-tls-cert-file",
                    admin.cert().toString());
            assertThat(partial.exitCode()).isEqualTo(2);
            assertThat(partial.err()).contains("Raft TLS needs all three of --raft-tls-cert-file");
            // The CA that did not sign the certificate: refused before anything is sent.
            List<Object> mismatched = new ArrayList<>(List.of("cluster", "status", "--peers", peers));
            mismatched.addAll(tls(admin.cert(), admin.key(), other.cert()));
            Cli.Result wrongCa = Cli.run(mismatched.toArray());
            assertThat(wrongCa.exitCode()).isEqualTo(2);
            assertThat(wrongCa.err()).contains("is not signed by the CA of " + other.cert());
        } finally {
            server.stop();
        }
    }

    private static List<Object> tls(Path cert, Path key, Path ca) {
        return List.of("--raft-tls-cert-file", cert, "--raft-tls-key-file", key, "--raft-tls-ca-cert-file", ca);
    }
}
