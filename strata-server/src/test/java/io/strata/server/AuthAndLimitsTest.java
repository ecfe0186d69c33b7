package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;

class AuthAndLimitsTest {
    @TempDir
    Path dir;

    @Test
    void requirepassGatesEveryCommandButAuthAndHello() throws Exception {
        try (TestServer server = TestServer.start(dir, c -> c.requirePass("s3cret"));
                var c = server.raw()) {
            c.command("GET", "k");
            assertThat(c.reply()).isEqualTo("-NOAUTH Authentication required.\r\n");
            c.command("NOSUCH");
            assertThat(c.reply()).startsWith("-ERR unknown command 'NOSUCH'");
            c.command("AUTH", "wrong");
            assertThat(c.reply()).isEqualTo("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
            c.command("AUTH", "someone", "s3cret");
            assertThat(c.reply()).isEqualTo("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
            c.command("HELLO", "3");
            assertThat(c.reply()).startsWith("-NOAUTH HELLO must be called with the client already authenticated");
            c.command("HELLO", "3", "AUTH", "default", "nope");
            assertThat(c.reply()).startsWith("-WRONGPASS");
            // before AUTH: at most 10 arguments, 16 KiB each; AUTH applies to what follows it at once
            c.send(TestServer.RawClient.encode("AUTH", "s3cret")
                    + TestServer.RawClient.encode("MSET", "a", "1", "b", "2", "c", "3", "d", "4", "e", "5", "f", "6"));
            assertThat(c.reply()).isEqualTo("+OK\r\n");
            assertThat(c.reply()).isEqualTo("+OK\r\n");
            c.command("INFO", "stats");
            assertThat(c.reply()).contains("acl_access_denied_auth:3");
            c.command("RESET");
            assertThat(c.reply()).isEqualTo("+RESET\r\n");
            c.command("GET", "a");
            assertThat(c.reply()).isEqualTo("-NOAUTH Authentication required.\r\n");
        }
    }

    @Test
    void preAuthLimitsCloseTheConnection() throws Exception {
        try (TestServer server = TestServer.start(dir, c -> c.requirePass("pw"))) {
            try (var c = server.raw()) {
                c.send("*11\r\n");
                assertThat(c.reply()).isEqualTo("-ERR Protocol error: unauthenticated multibulk length\r\n");
                assertThat(c.closedByServer()).isTrue();
            }
            try (var c = server.raw()) {
                c.send("*2\r\n$4\r\nAUTH\r\n$20000\r\n");
                assertThat(c.reply()).isEqualTo("-ERR Protocol error: unauthenticated bulk length\r\n");
            }
        }
    }

    @Test
    void clientsAuthenticateWithPassword() {
        try (TestServer server = TestServer.start(dir, c -> c.requirePass("pw"))) {
            try (Jedis j = new Jedis(
                    new HostAndPort("127.0.0.1", server.port()),
                    DefaultJedisClientConfig.builder()
                            .password("pw")
                            .protocol(redis.clients.jedis.RedisProtocol.RESP3)
                            .build())) {
                assertThat(j.set("k", "v")).isEqualTo("OK");
            }
            RedisClient lettuce = RedisClient.create(RedisURI.builder()
                    .withHost("127.0.0.1")
                    .withPort(server.port())
                    .withPassword("pw".toCharArray())
                    .build());
            try (StatefulRedisConnection<String, String> c = lettuce.connect()) {
                assertThat(c.sync().get("k")).isEqualTo("v");
            } finally {
                lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
    }

    @Test
    void maxClients() throws Exception {
        try (TestServer server = TestServer.start(dir, c -> c.maxClients(2));
                var a = server.raw();
                var b = server.raw()) {
            a.command("PING");
            assertThat(a.reply()).isEqualTo("+PONG\r\n");
            b.command("PING");
            assertThat(b.reply()).isEqualTo("+PONG\r\n");
            try (var c = server.raw()) {
                assertThat(c.reply()).isEqualTo("-ERR max number of clients reached\r\n");
                assertThat(c.closedByServer()).isTrue();
            }
            a.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.server.connectedClients() == 1);
            try (var c = server.raw()) {
                c.command("PING");
                assertThat(c.reply()).isEqualTo("+PONG\r\n");
                c.command("INFO", "stats");
                assertThat(c.reply()).contains("rejected_connections:1");
            }
        }
    }

    @Test
    void idleClientsAreDisconnected() throws Exception {
        try (TestServer server = TestServer.start(dir);
                var c = server.raw()) {
            c.command("CONFIG", "SET", "timeout", "1");
            assertThat(c.reply()).isEqualTo("+OK\r\n");
            try (var idle = server.raw()) {
                idle.command("PING");
                assertThat(idle.reply()).isEqualTo("+PONG\r\n");
                long t0 = System.nanoTime();
                assertThat(idle.closedByServer()).isTrue();
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
            }
        }
    }

    @Test
    void valuesOverTheLimitAreRefused() throws Exception {
        try (TestServer server = TestServer.start(dir);
                var c = server.raw()) {
            c.command("CONFIG", "SET", "proto-max-bulk-len", "1mb");
            assertThat(c.reply()).isEqualTo("+OK\r\n");
            c.send("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048577\r\n");
            assertThat(c.reply()).isEqualTo("-ERR Protocol error: invalid bulk length\r\n");
        }
        try (TestServer server = TestServer.start(dir);
                var c = server.raw()) {
            c.command("SETRANGE", "k", Long.toString(64L * 1024 * 1024), "x");
            assertThat(c.reply()).isEqualTo("-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n");
            assertThatThrownBy(() -> new ServerConfig().protoMaxBulkLen(512L * 1024 * 1024))
                    .hasMessageContaining("must not exceed 67108864");
        }
    }
}
