package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lettuce: connects with HELLO 3 (RESP3) by default; async commands are pipelined. */
class LettuceTest {
    @TempDir
    Path dir;

    TestServer server;
    RedisClient client;

    @BeforeEach
    void start() {
        server = TestServer.start(dir);
        client = RedisClient.create(RedisURI.builder()
                .withHost("127.0.0.1")
                .withPort(server.port())
                .withTimeout(Duration.ofSeconds(10))
                .build());
    }

    @AfterEach
    void stop() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        server.close();
    }

    @Test
    void commandsOverResp3() {
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            RedisCommands<String, String> r = c.sync();
            assertThat(r.clientInfo()).contains("resp=3");
            assertThat(r.ping()).isEqualTo("PONG");
            assertThat(r.set("k", "v")).isEqualTo("OK");
            assertThat(r.get("k")).isEqualTo("v");
            assertThat(r.get("missing")).isNull();
            assertThat(r.set("k", "w", SetArgs.Builder.nx())).isNull();
            assertThat(r.setGet("k", "w")).isEqualTo("v");
            assertThat(r.incr("n")).isEqualTo(1);
            assertThat(r.incrbyfloat("f", 2.5)).isEqualTo(2.5);
            assertThat(r.mget("k", "missing").get(1).hasValue()).isFalse();
            assertThat(r.configGet("save")).containsEntry("save", "");
            assertThat(r.exists("k", "n")).isEqualTo(2);
            assertThat(r.setex("t", 100, "v")).isEqualTo("OK");
            assertThat(r.ttl("t")).isBetween(99L, 100L);
            assertThat(r.expire("t", 5)).isTrue();
            assertThat(r.persist("t")).isTrue();
            assertThat(r.type("t")).isEqualTo("string");
            assertThat(r.dbsize()).isEqualTo(4);
            assertThat(r.info("keyspace")).contains("db0:keys=4");
            assertThat(r.del("k", "n", "f", "t")).isEqualTo(4);
            assertThat(r.clientGetname()).isNull();
            r.clientSetname("lettuce");
            assertThat(r.clientGetname()).isEqualTo("lettuce");
            assertThat(r.commandCount()).isGreaterThan(50);
        }
    }

    @Test
    void commandsOverResp2() {
        client.setOptions(
                ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2).build());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            RedisCommands<String, String> r = c.sync();
            assertThat(r.clientInfo()).contains("resp=2");
            r.set("a", "1");
            assertThat(r.getdel("a")).isEqualTo("1");
            assertThat(r.get("a")).isNull();
            assertThat(r.configGet("databases")).containsEntry("databases", "1");
        }
    }

    @Test
    void asyncPipelineAndScan() throws Exception {
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            RedisAsyncCommands<String, String> a = c.async();
            c.setAutoFlushCommands(false);
            List<RedisFuture<?>> futures = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                futures.add(a.set(String.format("key:%05d", i), "v" + i));
            }
            RedisFuture<Long> count = a.dbsize();
            c.flushCommands();
            for (RedisFuture<?> f : futures) {
                assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("OK");
            }
            assertThat(count.get(10, TimeUnit.SECONDS)).isEqualTo(2000);
            c.setAutoFlushCommands(true);

            RedisCommands<String, String> r = c.sync();
            List<String> keys = new ArrayList<>();
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page =
                        r.scan(cursor, ScanArgs.Builder.limit(100).match("key:01*"));
                keys.addAll(page.getKeys());
                cursor = page;
            } while (!cursor.isFinished());
            assertThat(keys).hasSize(1000).isSorted();
        }
    }
}
