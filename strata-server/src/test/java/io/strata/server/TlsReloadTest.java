package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.testkit.TestCa;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * The TLS certificate replaced at run time, by CONFIG SET and by SIGHUP: an open connection keeps
 * answering, a new one is shown the new certificate; a change that fails (a missing file, a key
 * that is not the certificate's, a CA file that holds none) keeps the old certificate in use.
 */
class TlsReloadTest {
    @TempDir
    static Path certs;

    @TempDir
    Path dir;

    static TestCa ca;
    static TestCa.Issued first;
    static TestCa.Issued second;
    static TestCa.Issued client;

    @BeforeAll
    static void makeCertificates() throws Exception {
        RedisCliTest.requireTool("openssl", "openssl");
        ca = TestCa.create(certs, "reload");
        first = ca.issue("first");
        second = ca.issue("second");
        client = ca.issue("client");
    }

    /** The first certificate; clients must show one of the CA's. */
    static TlsSettings firstWithCa() {
        return TlsSettings.of(0, first.cert(), first.key()).toBuilder()
                .caCertFile(ca.cert())
                .build();
    }

    @Test
    void configSetSwapsTheCertificateWithoutDroppingConnections() throws Exception {
        try (TestServer s = TestServer.start(dir, c -> c.tls(firstWithCa()));
                Jedis plain = new Jedis("127.0.0.1", s.port())) {
            int port = s.server.tlsPort();
            SSLContext signed = TlsClients.context(ca.cert(), client);
            assertThat(TlsClients.serverName(signed, port)).isEqualTo("CN=first");
            try (SSLSocket open = TlsClients.connect(signed, port)) {
                assertThat(TlsClients.command(open, "SET before 1")).isEqualTo("+OK");
                // Both files in one call: each alone would not match the other's current value.
                // Not a protected config (Redis 7): no enable-protected-configs needed.
                assertThat(plain.configSet(
                                "tls-cert-file",
                                second.cert().toString(),
                                "tls-key-file",
                                second.key().toString()))
                        .isEqualTo("OK");
                assertThat(TlsClients.command(open, "EXISTS before")).isEqualTo(":1");
                assertThat(TlsClients.serverName(signed, port)).isEqualTo("CN=second");
                assertThat(plain.configGet("tls-cert-file"))
                        .containsEntry("tls-cert-file", second.cert().toString());
                assertThat(TlsClients.command(open, "PING")).isEqualTo("+PONG");
                assertThat(open.getSession().getPeerCertificates()[0].toString())
                        .contains("CN=first");
            }
        }
    }

    @Test
    void aChangeThatFailsKeepsTheOldCertificate() throws Exception {
        try (TestServer s = TestServer.start(dir, c -> c.tls(firstWithCa()));
                Jedis plain = new Jedis("127.0.0.1", s.port())) {
            int port = s.server.tlsPort();
            SSLContext signed = TlsClients.context(ca.cert(), client);
            assertThatThrownBy(() -> plain.configSet(
                            "tls-cert-file", dir.resolve("missing.crt").toString()))
                    .hasMessageContaining("possibly related to argument 'tls-cert-file'")
                    .hasMessageContaining("Unable to update TLS configuration")
                    .hasMessageContaining("missing.crt does not exist");
            // The second certificate with the first one's key.
            assertThatThrownBy(
                            () -> plain.configSet("tls-cert-file", second.cert().toString()))
                    .hasMessageContaining("is not the private key of the certificate " + second.cert());
            assertThatThrownBy(() ->
                            plain.configSet("tls-ca-cert-file", first.key().toString()))
                    .hasMessageContaining("holds no PEM certificate");
            assertThatThrownBy(() -> plain.configSet("tls-auth-clients", "sometimes"))
                    .hasMessage("ERR CONFIG SET failed (possibly related to argument 'tls-auth-clients') - "
                            + "argument(s) must be one of the following: no, yes, optional");
            assertThatThrownBy(() -> plain.configSet("tls-port", "7000")).hasMessageContaining("immutable");
            // A good pair of files given with a bad setting: nothing of the call is applied.
            assertThatThrownBy(() -> plain.configSet(
                            "maxclients",
                            "7",
                            "tls-cert-file",
                            second.cert().toString(),
                            "tls-key-file",
                            second.key().toString(),
                            "tls-protocols",
                            "TLSv9"))
                    .hasMessageContaining("invalid tls-protocols 'TLSv9'");
            assertThat(plain.configGet("maxclients")).containsEntry("maxclients", "10000");
            assertThat(plain.configGet("tls-*"))
                    .containsEntry("tls-cert-file", first.cert().toString())
                    .containsEntry("tls-key-file", first.key().toString())
                    .containsEntry("tls-ca-cert-file", ca.cert().toString())
                    .containsEntry("tls-protocols", "");
            assertThat(TlsClients.serverName(signed, port)).isEqualTo("CN=first");
            assertThat(TlsClients.attempt(signed, port, "PING")).isEqualTo("+PONG");
        }
    }

    @Test
    void clientAuthenticationTurnedOnAtRunTimeAppliesToNewConnections() throws Exception {
        try (TestServer s = TestServer.start(dir, c -> c.tls(0, first.cert(), first.key()));
                Jedis plain = new Jedis("127.0.0.1", s.port())) {
            int port = s.server.tlsPort();
            SSLContext anonymous = TlsClients.context(ca.cert(), null);
            try (SSLSocket open = TlsClients.connect(anonymous, port)) {
                assertThat(TlsClients.command(open, "PING")).isEqualTo("+PONG");
                assertThatThrownBy(() -> plain.configSet("tls-auth-clients", "yes"))
                        .hasMessageContaining("needs tls-ca-cert-file");
                assertThat(plain.configSet("tls-ca-cert-file", ca.cert().toString(), "tls-auth-clients", "yes"))
                        .isEqualTo("OK");
                assertThat(TlsClients.attempt(anonymous, port, "PING")).startsWith("failed");
                assertThat(TlsClients.attempt(TlsClients.context(ca.cert(), client), port, "PING"))
                        .isEqualTo("+PONG");
                assertThat(TlsClients.command(open, "PING")).isEqualTo("+PONG");
            }
        }
    }

    /** The real entry point: the certificate files rewritten in place, then SIGHUP. */
    @Test
    void sighupRereadsTheFiles() throws Exception {
        Path cert = Files.copy(first.cert(), dir.resolve("server.crt"));
        Path key = Files.copy(first.key(), dir.resolve("server.key"));
        int tlsPort;
        try (ServerSocket free = new ServerSocket(0)) {
            tlsPort = free.getLocalPort();
        }
        ServerProcessTest.Child child = new ServerProcessTest.Child(
                dir,
                "--tls-port",
                Integer.toString(tlsPort),
                "--tls-cert-file",
                cert.toString(),
                "--tls-key-file",
                key.toString(),
                "--tls-ca-cert-file",
                ca.cert().toString());
        try {
            SSLContext signed = TlsClients.context(ca.cert(), client);
            assertThat(TlsClients.serverName(signed, tlsPort)).isEqualTo("CN=first");
            try (SSLSocket open = TlsClients.connect(signed, tlsPort)) {
                assertThat(TlsClients.command(open, "PING")).isEqualTo("+PONG");

                // A bad file first: the reload fails, says why, and the old certificate stays.
                Files.writeString(cert, "garbage\n");
                hangUp(child, 1);
                assertThat(child.log()).contains("TLS reload failed, the previous certificate stays in use");
                assertThat(TlsClients.serverName(signed, tlsPort)).isEqualTo("CN=first");

                Files.copy(second.cert(), cert, StandardCopyOption.REPLACE_EXISTING);
                Files.copy(second.key(), key, StandardCopyOption.REPLACE_EXISTING);
                hangUp(child, 1);
                assertThat(child.log()).contains("TLS reloaded: certificate " + cert);
                assertThat(TlsClients.serverName(signed, tlsPort)).isEqualTo("CN=second");
                assertThat(TlsClients.command(open, "PING")).isEqualTo("+PONG");
            }
        } finally {
            child.process.destroy();
            assertThat(child.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** Sends SIGHUP and waits (up to 30 s) until the log has one more reload outcome than {@code before} ones. */
    private static void hangUp(ServerProcessTest.Child child, int expectedNew) throws Exception {
        int before = outcomes(child.log());
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(child.process.pid()))
                .inheritIO()
                .start();
        assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (outcomes(child.log()) < before + expectedNew && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(outcomes(child.log())).as(child.log()).isEqualTo(before + expectedNew);
    }

    private static int outcomes(String log) {
        int n = 0;
        for (int i = log.indexOf("TLS reload"); i >= 0; i = log.indexOf("TLS reload", i + 1)) {
            n++;
        }
        return n;
    }
}
