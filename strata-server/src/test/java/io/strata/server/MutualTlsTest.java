package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.testkit.TestCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Client certificates on the TLS port (tls-auth-clients yes, optional, no; tls-ca-cert-file and
 * tls-ca-cert-dir), protocols and cipher suites: what is refused fails its handshake and changes
 * nothing, what is allowed is served. Two CAs made with openssl for the class: the server's own,
 * and another one whose certificates the server must refuse.
 */
class MutualTlsTest {
    @TempDir
    static Path certs;

    @TempDir
    Path dir;

    static TestCa ca;
    static TestCa otherCa;
    static TestCa.Issued server;
    static TestCa.Issued client;
    static TestCa.Issued stranger;

    @BeforeAll
    static void makeCertificates() throws Exception {
        RedisCliTest.requireTool("openssl", "openssl");
        ca = TestCa.create(certs.resolve("ca"), "strata");
        otherCa = TestCa.create(certs.resolve("other"), "other");
        server = ca.issue("server");
        client = ca.issue("client");
        stranger = otherCa.issue("stranger");
    }

    static TlsSettings.Builder settings() {
        return TlsSettings.of(0, server.cert(), server.key()).toBuilder().caCertFile(ca.cert());
    }

    /** A new connection of a client showing {@code who}'s certificate (null: none): its reply to {@code command}. */
    static String as(TestCa.Issued who, int port, String command) throws Exception {
        return TlsClients.attempt(TlsClients.context(ca.cert(), who), port, command);
    }

    static TestServer start(Path dir, TlsSettings settings) {
        return TestServer.start(dir, c -> c.tls(settings));
    }

    @Test
    void requiredByDefaultWithACa() throws Exception {
        try (TestServer s = start(dir, settings().build());
                Jedis plain = new Jedis("127.0.0.1", s.port())) {
            int port = s.server.tlsPort();
            assertThat(plain.configGet("tls-auth-clients")).containsEntry("tls-auth-clients", "yes");
            // The CA's client is served.
            assertThat(as(client, port, "SET signed 1")).isEqualTo("+OK");
            // Another CA's client, and one without a certificate, fail the handshake: their SET never runs.
            assertThat(as(stranger, port, "SET stranger 1")).startsWith("failed");
            assertThat(as(null, port, "SET anonymous 1")).startsWith("failed");
            assertThat(plain.exists("stranger")).isFalse();
            assertThat(plain.exists("anonymous")).isFalse();
            assertThat(plain.get("signed")).isEqualTo("1");
            assertThat(plain.dbSize()).isEqualTo(1);
        }
    }

    @Test
    void optionalAcceptsNoCertificateButRefusesAnotherCas() throws Exception {
        try (TestServer s = start(
                        dir, settings().authClients(TlsAuthClients.OPTIONAL).build());
                Jedis plain = new Jedis("127.0.0.1", s.port())) {
            int port = s.server.tlsPort();
            assertThat(as(null, port, "SET anonymous 1")).isEqualTo("+OK");
            assertThat(as(client, port, "SET signed 1")).isEqualTo("+OK");
            assertThat(as(stranger, port, "SET stranger 1")).startsWith("failed");
            assertThat(plain.exists("stranger")).isFalse();
            assertThat(plain.configGet("tls-auth-clients")).containsEntry("tls-auth-clients", "optional");
        }
    }

    @Test
    void noAsksForNoCertificate() throws Exception {
        try (TestServer s = start(dir, settings().authClients(TlsAuthClients.NO).build())) {
            int port = s.server.tlsPort();
            assertThat(as(null, port, "PING")).isEqualTo("+PONG");
            // Not asked, the stranger's certificate is never sent, so it is no reason to refuse.
            assertThat(as(stranger, port, "PING")).isEqualTo("+PONG");
        }
    }

    @Test
    void aCaDirectoryIsReadFileByFile() throws Exception {
        Path caDir = Files.createDirectories(dir.resolve("ca.d"));
        Files.copy(ca.cert(), caDir.resolve("strata.pem"));
        Files.writeString(caDir.resolve("README"), "not a certificate\n");
        TlsSettings t = TlsSettings.of(0, server.cert(), server.key()).toBuilder()
                .caCertDir(caDir)
                .build();
        try (TestServer s = start(dir.resolve("db"), t)) {
            int port = s.server.tlsPort();
            assertThat(as(client, port, "PING")).isEqualTo("+PONG");
            assertThat(as(stranger, port, "PING")).startsWith("failed");
        }
    }

    @Test
    void protocolsRestrict() throws Exception {
        try (TestServer s = start(dir, settings().protocols("TLSv1.3").build())) {
            int port = s.server.tlsPort();
            SSLContext signed = TlsClients.context(ca.cert(), client);
            assertThat(TlsClients.attempt(signed, port, "PING", "TLSv1.2")).startsWith("failed");
            try (SSLSocket c = TlsClients.connect(signed, port, "TLSv1.2", "TLSv1.3")) {
                assertThat(TlsClients.command(c, "PING")).isEqualTo("+PONG");
                assertThat(c.getSession().getProtocol()).isEqualTo("TLSv1.3");
            }
        }
        try (TestServer s = start(dir, settings().protocols("TLSv1.2").build())) {
            int port = s.server.tlsPort();
            SSLContext signed = TlsClients.context(ca.cert(), client);
            assertThat(TlsClients.attempt(signed, port, "PING", "TLSv1.3")).startsWith("failed");
            assertThat(TlsClients.attempt(signed, port, "PING", "TLSv1.2")).isEqualTo("+PONG");
        }
    }

    @Test
    void cipherSuitesRestrict() throws Exception {
        TlsSettings t = settings()
                .protocols("TLSv1.2 TLSv1.3")
                .ciphersuites("TLS_AES_256_GCM_SHA384")
                .ciphers("ECDHE-ECDSA-AES128-GCM-SHA256")
                .preferServerCiphers(true)
                .build();
        try (TestServer s = start(dir, t);
                Jedis plain = new Jedis("127.0.0.1", s.port())) {
            int port = s.server.tlsPort();
            SSLContext signed = TlsClients.context(ca.cert(), client);
            try (SSLSocket c = TlsClients.connect(signed, port, "TLSv1.3")) {
                assertThat(TlsClients.command(c, "PING")).isEqualTo("+PONG");
                assertThat(c.getSession().getCipherSuite()).isEqualTo("TLS_AES_256_GCM_SHA384");
            }
            try (SSLSocket c = TlsClients.connect(signed, port, "TLSv1.2")) {
                assertThat(TlsClients.command(c, "PING")).isEqualTo("+PONG");
                // OpenSSL's name, as Redis takes it, became the JDK's.
                assertThat(c.getSession().getCipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
            }
            assertThat(plain.configGet("tls-*"))
                    .containsEntry("tls-ciphersuites", "TLS_AES_256_GCM_SHA384")
                    .containsEntry("tls-ciphers", "ECDHE-ECDSA-AES128-GCM-SHA256")
                    .containsEntry("tls-protocols", "TLSv1.2 TLSv1.3")
                    .containsEntry("tls-prefer-server-ciphers", "yes");
        }
    }

    @Test
    void configGetShowsEveryTlsSetting() throws Exception {
        try (TestServer s = start(dir, settings().build());
                Jedis plain = new Jedis("127.0.0.1", s.port())) {
            Map<String, String> tls = plain.configGet("tls-*");
            assertThat(tls)
                    .containsEntry("tls-port", Integer.toString(s.server.tlsPort()))
                    .containsEntry("tls-cert-file", server.cert().toString())
                    .containsEntry("tls-key-file", server.key().toString())
                    .containsEntry("tls-ca-cert-file", ca.cert().toString())
                    .containsEntry("tls-ca-cert-dir", "")
                    .containsEntry("tls-auth-clients", "yes")
                    .containsEntry("tls-protocols", "")
                    .containsEntry("tls-ciphers", "")
                    .containsEntry("tls-ciphersuites", "")
                    .containsEntry("tls-prefer-server-ciphers", "no")
                    .hasSize(10);
        }
        // Without TLS, Redis's defaults.
        try (TestServer s = TestServer.start(dir.resolve("plain"));
                Jedis plain = new Jedis("127.0.0.1", s.port())) {
            assertThat(plain.configGet("tls-*"))
                    .containsEntry("tls-port", "0")
                    .containsEntry("tls-auth-clients", "yes")
                    .containsEntry("tls-cert-file", "");
        }
    }

    @Test
    void redisCliWithAClientCertificate() throws Exception {
        RedisCliTest.requireTool("redis-cli", "redis-tools");
        try (TestServer s = start(dir, settings().build())) {
            String port = Integer.toString(s.server.tlsPort());
            String[] tls = {"redis-cli", "--tls", "--cacert", ca.cert().toString(), "-h", "localhost", "-p", port};
            assertThat(RedisCliTest.run(
                                    null,
                                    TestServer.withArgs(
                                            tls, "--cert", client.cert(), "--key", client.key(), "SET", "a", "1"))
                            .trim())
                    .isEqualTo("OK");
            // redis-cli sends the other CA's certificate although the server names its CA: refused.
            assertThat(RedisCliTest.runExpecting(
                            1,
                            null,
                            TestServer.withArgs(tls, "--cert", stranger.cert(), "--key", stranger.key(), "GET", "a")))
                    .doesNotContain("1")
                    .containsIgnoringCase("error");
            assertThat(RedisCliTest.runExpecting(1, null, TestServer.withArgs(tls, "GET", "a")))
                    .doesNotContain("1")
                    .containsIgnoringCase("error");
            assertThat(RedisCliTest.run(
                                    null,
                                    TestServer.withArgs(
                                            tls, "--cert", client.cert(), "--key", client.key(), "GET", "a"))
                            .trim())
                    .isEqualTo("1");
        }
    }

    /** The README's way: scripts/make-test-certs.sh, then redis-cli with the client's certificate. */
    @Test
    void theScriptsCertificatesServeAsTheReadmeShows() throws Exception {
        RedisCliTest.requireTool("redis-cli", "redis-tools");
        Path made = dir.resolve("certs");
        String out = RedisCliTest.run(null, "../scripts/make-test-certs.sh", made.toString(), "server", "client");
        assertThat(out).contains(made.resolve("client.crt").toString());
        TlsSettings t = TlsSettings.of(0, made.resolve("server.crt"), made.resolve("server.key")).toBuilder()
                .caCertFile(made.resolve("ca.crt"))
                .build();
        try (TestServer s = start(dir.resolve("db"), t)) {
            String port = Integer.toString(s.server.tlsPort());
            String[] cli = {
                "redis-cli", "--tls", "--cacert", made.resolve("ca.crt").toString(), "-p", port
            };
            assertThat(RedisCliTest.run(
                                    null,
                                    TestServer.withArgs(
                                            cli,
                                            "--cert",
                                            made.resolve("client.crt"),
                                            "--key",
                                            made.resolve("client.key"),
                                            "PING"))
                            .trim())
                    .isEqualTo("PONG");
            assertThat(RedisCliTest.runExpecting(1, null, TestServer.withArgs(cli, "PING")))
                    .doesNotContain("PONG");
        }
    }

    @Test
    // usageError runs the server in-process: a setting wrongly accepted would start it and wait for ever.
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void badSettingsStopTheStart() throws Exception {
        Path data = dir.resolve("data");
        String[] base = {
            "--dir",
            data.toString(),
            "--tls-port",
            "16398",
            "--tls-cert-file",
            server.cert().toString(),
            "--tls-key-file",
            server.key().toString()
        };
        assertThat(TestServer.usageError(TestServer.withArgs(base, "--tls-ca-cert-file", dir.resolve("nope.crt"))))
                .contains("nope.crt")
                .contains("does not exist");
        assertThat(TestServer.usageError(TestServer.withArgs(base, "--tls-ca-cert-file", server.key())))
                .contains("tls-ca-cert-file " + server.key() + " holds no PEM certificate");
        assertThat(TestServer.usageError(TestServer.withArgs(base, "--tls-ca-cert-dir", dir.resolve("nodir"))))
                .contains("tls-ca-cert-dir")
                .contains("is not a directory");
        assertThat(TestServer.usageError(TestServer.withArgs(base, "--tls-auth-clients", "yes")))
                .contains("tls-auth-clients yes needs tls-ca-cert-file or tls-ca-cert-dir");
        assertThat(TestServer.usageError(TestServer.withArgs(base, "--tls-auth-clients", "maybe")))
                .contains("must be one of the following: no, yes, optional");
        assertThat(TestServer.usageError(TestServer.withArgs(base, "--tls-protocols", "TLSv1.2 TLSv1.4")))
                .contains("invalid tls-protocols 'TLSv1.4'");
        assertThat(TestServer.usageError(TestServer.withArgs(base, "--tls-protocols", "TLSv1.1")))
                .contains("TLSv1.1 is disabled in this JDK");
        assertThat(TestServer.usageError(TestServer.withArgs(base, "--tls-ciphers", "HIGH:!aNULL")))
                .contains("tls-ciphers: unknown cipher suite 'HIGH'");
        assertThat(TestServer.usageError(
                        TestServer.withArgs(base, "--tls-ciphersuites", "ECDHE-RSA-AES128-GCM-SHA256")))
                .contains("it belongs in tls-ciphers");
        // Only RSA suites for TLS 1.2, and an EC certificate: TLS 1.2 is left with none.
        assertThat(TestServer.usageError(TestServer.withArgs(
                        base, "--tls-protocols", "TLSv1.2", "--tls-ciphers", "ECDHE-RSA-AES128-GCM-SHA256")))
                .contains("no cipher suite left for TLSv1.2: no suite of tls-ciphers 'ECDHE-RSA-AES128-GCM-SHA256' "
                        + "fits the certificate's EC key (choose suites with ECDSA)");
        // Another certificate's key.
        String[] otherKey = base.clone();
        otherKey[otherKey.length - 1] = client.key().toString();
        assertThat(TestServer.usageError(otherKey)).contains("is not the private key of the certificate");
        assertThat(TestServer.usageError(
                        "--dir",
                        data.toString(),
                        "--tls-ca-cert-file",
                        ca.cert().toString()))
                .contains("need --tls-port");
        assertThat(data).doesNotExist();
    }
}
