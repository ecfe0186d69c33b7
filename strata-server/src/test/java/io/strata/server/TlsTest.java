package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * The TLS listener on a second port: a self-signed certificate made with openssl for each test
 * class; Jedis over TLS (trusting that certificate), redis-cli {@code --tls} when it was built
 * with TLS, a plaintext client on the TLS port, and bad certificate and key files.
 */
class TlsTest {
    @TempDir
    static Path certDir;

    @TempDir
    Path dir;

    static Path cert;
    static Path key;

    @BeforeAll
    static void makeCertificate() throws Exception {
        RedisCliTest.requireTool("openssl", "openssl");
        cert = certDir.resolve("cert.pem");
        key = certDir.resolve("key.pem");
        Process p = new ProcessBuilder(
                        "openssl",
                        "req",
                        "-x509",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-keyout",
                        key.toString(),
                        "-out",
                        cert.toString(),
                        "-days",
                        "1",
                        "-subj",
                        "/CN=localhost",
                        "-addext",
                        "subjectAltName=DNS:localhost,IP:127.0.0.1")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(Files.readString(key)).contains("BEGIN PRIVATE KEY");
    }

    static TestServer startTls(Path dir) {
        return TestServer.start(dir, c -> c.tls(0, cert, key));
    }

    /** Trusts exactly the test's certificate. */
    static SSLSocketFactory trustingTestCertificate() throws Exception {
        X509Certificate x509;
        try (InputStream in = Files.newInputStream(cert)) {
            x509 = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("strata-test", x509);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx.getSocketFactory();
    }

    static Jedis tlsJedis(int port) throws Exception {
        return new Jedis(
                new HostAndPort("127.0.0.1", port),
                DefaultJedisClientConfig.builder()
                        .ssl(true)
                        .sslSocketFactory(trustingTestCertificate())
                        .socketTimeoutMillis(10_000)
                        .build());
    }

    @Test
    void jedisOverTlsAndPlainPortShareTheStore() throws Exception {
        try (TestServer server = startTls(dir)) {
            assertThat(server.server.tlsPort()).isPositive().isNotEqualTo(server.port());
            try (Jedis tls = tlsJedis(server.server.tlsPort());
                    Jedis plain = new Jedis("127.0.0.1", server.port())) {
                assertThat(tls.ping()).isEqualTo("PONG");
                assertThat(tls.set("k", "over tls")).isEqualTo("OK");
                assertThat(plain.get("k")).isEqualTo("over tls");
                plain.set("p", "plain");
                assertThat(tls.get("p")).isEqualTo("plain");
                assertThat(tls.incr("n")).isEqualTo(1);

                // Pipelined, with values larger than one TLS record (16 KiB).
                String big = "x".repeat(100_000);
                Pipeline pl = tls.pipelined();
                for (int i = 0; i < 200; i++) {
                    pl.set("key:" + i, i % 50 == 0 ? big : "v" + i);
                }
                for (int i = 0; i < 200; i++) {
                    pl.get("key:" + i);
                }
                List<Object> replies = pl.syncAndReturnAll();
                assertThat(replies).hasSize(400);
                for (int i = 0; i < 200; i++) {
                    assertThat(replies.get(200 + i)).isEqualTo(i % 50 == 0 ? big : "v" + i);
                }
                assertThat(plain.dbSize()).isEqualTo(203);
                assertThat(plain.clientList()).contains("cmd=client");
            }
        }
    }

    @Test
    void plaintextClientOnTheTlsPortIsDroppedAndOthersAreServed() throws Exception {
        try (TestServer server = startTls(dir);
                Socket silent = new Socket(InetAddress.getLoopbackAddress(), server.server.tlsPort())) {
            // A connection that never starts a handshake does not hold up anybody else.
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.server.tlsPort())) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write(TestServer.RawClient.encode("PING").getBytes(StandardCharsets.UTF_8));
                s.getOutputStream().flush();
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                InputStream in = s.getInputStream();
                byte[] buf = new byte[1024];
                boolean eof = false;
                try {
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        got.write(buf, 0, n);
                    }
                    eof = true;
                } catch (java.net.SocketException e) {
                    eof = true; // reset by the server
                } catch (SocketTimeoutException e) {
                    eof = false;
                }
                assertThat(eof)
                        .as("the server closes a plaintext connection on the TLS port")
                        .isTrue();
                assertThat(got.toString(StandardCharsets.ISO_8859_1)).doesNotContain("PONG");
            }
            try (Jedis tls = tlsJedis(server.server.tlsPort());
                    Jedis plain = new Jedis("127.0.0.1", server.port())) {
                assertThat(tls.ping()).isEqualTo("PONG");
                assertThat(plain.ping()).isEqualTo("PONG");
            }
        }
    }

    @Test
    void redisCliOverTls() throws Exception {
        RedisCliTest.requireTool("redis-cli", "redis-tools");
        assertThat(RedisCliTest.run(null, "redis-cli", "--help"))
                .as("redis-cli built with TLS (--tls)")
                .contains("--tls");
        try (TestServer server = startTls(dir)) {
            String port = Integer.toString(server.server.tlsPort());
            assertThat(RedisCliTest.run(null, "redis-cli", "--tls", "--insecure", "-p", port, "ping")
                            .trim())
                    .isEqualTo("PONG");
            String out = RedisCliTest.run("SET a 1\nINCR a\nGET a\n", "redis-cli", "--tls", "--insecure", "-p", port);
            assertThat(out.lines().toList()).containsExactly("OK", "2", "2");
            assertThat(RedisCliTest.run(
                                    null,
                                    "redis-cli",
                                    "--tls",
                                    "--cacert",
                                    cert.toString(),
                                    "-h",
                                    "localhost",
                                    "-p",
                                    port,
                                    "get",
                                    "a")
                            .trim())
                    .isEqualTo("2");
        }
    }

    @Test
    void badCertificateOrKeyFilesStopTheStart() throws Exception {
        Path missing = dir.resolve("missing.pem");
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
        assertThatThrownBy(() -> TestServer.start(dir.resolve("db1"), c -> c.tls(0, missing, key)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing.pem")
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> TestServer.start(dir.resolve("db2"), c -> c.tls(0, garbage, key)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot load the TLS certificate");
        assertThatThrownBy(() -> TestServer.start(dir.resolve("db3"), c -> c.tls(0, cert, garbage)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot load the TLS certificate");
        // Key and certificate swapped.
        assertThatThrownBy(() -> TestServer.start(dir.resolve("db4"), c -> c.tls(0, key, cert)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot load the TLS certificate");
        // Nothing was opened: the data directories were never created.
        assertThat(dir.resolve("db1")).doesNotExist();
        assertThat(dir.resolve("db4")).doesNotExist();
    }

    @Test
    void serverCommandUsageErrors() {
        String d = dir.resolve("data").toString();
        assertThat(TestServer.usageError("--dir", d, "--tls-port", "16399"))
                .contains("--tls-port needs --tls-cert-file and --tls-key-file");
        assertThat(TestServer.usageError(
                        "--dir", d, "--tls-cert-file", cert.toString(), "--tls-key-file", key.toString()))
                .contains("need --tls-port");
        assertThat(TestServer.usageError(
                        "--dir",
                        d,
                        "--tls-port",
                        "16399",
                        "--tls-cert-file",
                        dir.resolve("nope.pem").toString(),
                        "--tls-key-file",
                        key.toString()))
                .contains("nope.pem")
                .contains("does not exist");
        assertThat(TestServer.usageError(
                        "--dir",
                        d,
                        "--tls-port",
                        "16399",
                        "--tls-cert-file",
                        key.toString(),
                        "--tls-key-file",
                        cert.toString()))
                .contains("cannot load the TLS certificate");
        assertThat(TestServer.usageError(
                        "--dir",
                        d,
                        "--port",
                        "16399",
                        "--tls-port",
                        "16399",
                        "--tls-cert-file",
                        cert.toString(),
                        "--tls-key-file",
                        key.toString()))
                .contains("must differ from --port");
        assertThat(dir.resolve("data")).doesNotExist();
    }
}
