package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.testkit.TestCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The --raft-tls-* options of {@code strata server}: all three or none, only in cluster mode, and
 * checked at the start (a certificate the CA did not sign, a key that is not the certificate's).
 */
class RaftTlsOptionsTest {
    @TempDir
    Path dir;

    @Test
    // usageError runs the server in-process: a setting wrongly accepted would start it and wait for ever.
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void allThreeInClusterModeAndChecked() throws Exception {
        RedisCliTest.requireTool("openssl", "openssl");
        TestCa ca = TestCa.create(dir.resolve("ca"), "cluster");
        TestCa other = TestCa.create(dir.resolve("other"), "other");
        TestCa.Issued n1 = ca.issue("n1");
        TestCa.Issued n2 = ca.issue("n2");
        String[] cluster = {
            "--dir",
            dir.resolve("data").toString(),
            "--node-id",
            "n1",
            "--raft-port",
            "19871",
            "--peers",
            "n1=127.0.0.1:19871"
        };
        assertThat(TestServer.usageError(TestServer.withArgs(cluster, "--raft-tls-cert-file", n1.cert())))
                .contains("Raft TLS needs all three of --raft-tls-cert-file, --raft-tls-key-file and "
                        + "--raft-tls-ca-cert-file");
        assertThat(TestServer.usageError(
                        "--raft-tls-cert-file",
                        n1.cert().toString(),
                        "--raft-tls-key-file",
                        n1.key().toString(),
                        "--raft-tls-ca-cert-file",
                        ca.cert().toString()))
                .contains("need --node-id (cluster mode)");
        assertThat(TestServer.usageError(TestServer.withArgs(
                        cluster,
                        "--raft-tls-cert-file",
                        n1.cert(),
                        "--raft-tls-key-file",
                        n1.key(),
                        "--raft-tls-ca-cert-file",
                        other.cert())))
                .contains("is not signed by the CA of " + other.cert());
        assertThat(TestServer.usageError(TestServer.withArgs(
                        cluster,
                        "--raft-tls-cert-file",
                        n1.cert(),
                        "--raft-tls-key-file",
                        n2.key(),
                        "--raft-tls-ca-cert-file",
                        ca.cert())))
                .contains("is not the private key of the certificate " + n1.cert());
        assertThat(dir.resolve("data")).doesNotExist();

        // From a config file, as the other options.
        Path conf = Files.writeString(
                dir.resolve("strata.conf"),
                "raft-tls-cert-file " + n1.cert() + "\nraft-tls-key-file " + n1.key() + "\nraft-tls-ca-cert-file "
                        + ca.cert() + "\n");
        ServerMain m = new ServerMain();
        new CommandLine(m).parseArgs(TestServer.withArgs(cluster, "--config", conf));
        assertThat(m.config().raftTls()).isEqualTo(new RaftTlsFiles(n1.cert(), n1.key(), ca.cert()));
        ServerMain none = new ServerMain();
        new CommandLine(none).parseArgs(cluster);
        assertThat(none.config().raftTls()).isNull();
    }
}
