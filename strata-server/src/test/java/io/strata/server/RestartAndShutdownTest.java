package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

class RestartAndShutdownTest {
    @TempDir
    Path dir;

    @Test
    void restartFindsEveryAcknowledgedWriteAndTtl() throws Exception {
        long expireAt;
        try (TestServer server = TestServer.start(dir);
                Jedis j = new Jedis("127.0.0.1", server.port())) {
            for (int i = 0; i < 3000; i++) {
                j.set("k" + i, "v" + i);
            }
            j.set("ttl", "v", SetParams.setParams().ex(1000));
            expireAt = j.pexpireTime("ttl");
            j.set("short", "v", SetParams.setParams().px(200));
            j.incrBy("n", 42);
            j.del("k0");
            j.save(); // some of it in an SSTable, the rest in the WAL
            j.set("after-save", "x");
        }
        Thread.sleep(250);
        try (TestServer server = TestServer.start(dir);
                Jedis j = new Jedis("127.0.0.1", server.port())) {
            assertThat(j.get("k0")).isNull();
            for (int i = 1; i < 3000; i++) {
                assertThat(j.get("k" + i)).isEqualTo("v" + i);
            }
            assertThat(j.pexpireTime("ttl")).isEqualTo(expireAt);
            assertThat(j.get("short")).isNull(); // expired while the server was down
            assertThat(j.get("n")).isEqualTo("42");
            assertThat(j.get("after-save")).isEqualTo("x");
            assertThat(j.dbSize()).isEqualTo(2999 + 3); // k1..k2999, ttl, n, after-save
        }
    }

    @Test
    void syncModeWritesSurviveRestart() {
        try (TestServer server = TestServer.start(dir, c -> c.sync(true));
                Jedis j = new Jedis("127.0.0.1", server.port())) {
            j.mset("a", "1", "b", "2");
            j.setex("c", 100, "3");
            assertThat(j.configGet("appendfsync")).containsEntry("appendfsync", "always");
        }
        try (TestServer server = TestServer.start(dir);
                Jedis j = new Jedis("127.0.0.1", server.port())) {
            assertThat(j.mget("a", "b", "c")).containsExactly("1", "2", "3");
        }
    }

    @Test
    void shutdownCommandFinishesPipelinedRequestsAndStops() throws Exception {
        TestServer server = TestServer.start(dir);
        try (var c = server.raw()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 200; i++) {
                sb.append(TestServer.RawClient.encode("SET", "p" + i, "v"));
            }
            sb.append(TestServer.RawClient.encode("SHUTDOWN"));
            sb.append(TestServer.RawClient.encode("SET", "never", "v"));
            c.send(sb.toString());
            for (int i = 0; i < 200; i++) {
                assertThat(c.reply()).isEqualTo("+OK\r\n");
            }
            assertThat(c.closedByServer()).isTrue();
        }
        await().atMost(Duration.ofSeconds(20)).until(server.server::isStopped);
        server.close(); // idempotent
        try (TestServer again = TestServer.start(dir);
                Jedis j = new Jedis("127.0.0.1", again.port())) {
            assertThat(j.get("p199")).isEqualTo("v");
            assertThat(j.get("never")).isNull();
        }
    }

    @Test
    void stopClosesClientsAfterTheirReplies() throws Exception {
        TestServer server = TestServer.start(dir);
        var c = server.raw();
        c.command("SET", "a", "1");
        assertThat(c.reply()).isEqualTo("+OK\r\n");
        server.close();
        assertThat(c.closedByServer()).isTrue();
        c.close();
        assertThat(server.server.isStopped()).isTrue();
    }

    /** A port in use fails the start with its name and the reason, and leaves the store closed for the next start. */
    @Test
    void configSetPortMovesTheListenerOrChangesNothing() throws Exception {
        try (TestServer server = TestServer.start(dir);
                Jedis j = new Jedis("127.0.0.1", server.port());
                ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int first = server.port();
            assertThatThrownBy(
                            () -> j.configSet("maxmemory", "10000001", "port", Integer.toString(busy.getLocalPort())))
                    .hasMessageStartingWith("ERR CONFIG SET failed (possibly related to argument 'port') - Unable to "
                            + "listen on this port: cannot listen on 127.0.0.1:" + busy.getLocalPort());
            assertThat(j.configGet("maxmemory")).as("set back").containsEntry("maxmemory", "0");
            assertThat(server.port()).isEqualTo(first);
            int next = io.strata.testkit.FreePorts.next();
            assertThat(j.configSet("port", Integer.toString(next))).isEqualTo("OK");
            assertThat(j.ping()).as("an open connection stays").isEqualTo("PONG");
            try (Jedis moved = new Jedis("127.0.0.1", next)) {
                assertThat(moved.configGet("port")).containsEntry("port", Integer.toString(next));
            }
            try (java.net.Socket old = new java.net.Socket()) {
                assertThatThrownBy(() -> old.connect(
                                new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), first), 2000))
                        .as("no more on the old port")
                        .isInstanceOf(java.net.ConnectException.class);
            }
            assertThatThrownBy(() -> j.configSet("port", "0"))
                    .hasMessage("ERR CONFIG SET failed (possibly related to argument 'port') - argument must be "
                            + "between 1 and 65535 (Strata always listens on TCP)");
        }
    }

    @Test
    void portInUseFailsTheStartNamingThePort() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> TestServer.start(dir, c -> c.port(busy.getLocalPort())))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessage("cannot listen on 127.0.0.1:" + busy.getLocalPort() + ": Address already in use");
        }
        try (TestServer server = TestServer.start(dir);
                Jedis j = new Jedis("127.0.0.1", server.port())) {
            assertThat(j.ping()).isEqualTo("PONG");
        }
    }
}
