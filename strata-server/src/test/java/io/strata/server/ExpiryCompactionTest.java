package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strata.StrataDb;
import io.strata.StrataIterator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

/** Expired keys leave the disk in compaction (the server's {@code ExpiredValueFilter}). */
class ExpiryCompactionTest {
    @TempDir
    Path dir;

    private static long liveSstBytes(TestServer s) {
        return Long.parseLong(s.server.keyspace().db().getProperty("strata.live-sst-bytes"));
    }

    /** Keys with the prefix that the engine itself still holds, expired or not. */
    private static int engineKeys(TestServer s, String prefix) {
        StrataDb db = s.server.keyspace().db();
        int n = 0;
        try (StrataIterator it = db.iterator()) {
            for (it.seekToFirst(); it.valid(); it.next()) {
                if (new String(it.key(), StandardCharsets.UTF_8).startsWith(prefix)) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void compactionReclaimsExpiredKeysAndKeepsTheRest() {
        Random rnd = new Random(42);
        long before;
        long laterExpiry;
        try (TestServer server = TestServer.start(dir);
                Jedis j = new Jedis("127.0.0.1", server.port())) {
            for (int i = 0; i < 3000; i++) {
                byte[] v = new byte[200];
                rnd.nextBytes(v); // incompressible, so the bytes on disk follow the data
                j.set(
                        ("exp:" + i).getBytes(StandardCharsets.UTF_8),
                        v,
                        SetParams.setParams().px(400));
            }
            for (int i = 0; i < 300; i++) {
                j.set("keep:" + i, "value-" + i);
                j.set("later:" + i, "value-" + i, SetParams.setParams().ex(3600));
            }
            laterExpiry = j.pexpireTime("later:0");
            j.save(); // everything into SSTables
            before = liveSstBytes(server);
            assertThat(before).isGreaterThan(3000 * 200);

            await().atMost(Duration.ofSeconds(10)).until(() -> j.get("exp:2999") == null);
            j.set("exp:0", "fresh"); // a new live version over an expired one
            assertThat(engineKeys(server, "exp:")).isEqualTo(3000); // invisible, but still stored

            server.server.keyspace().db().compactRange(null, null);

            long after = liveSstBytes(server);
            assertThat(after).isLessThan(before / 4);
            assertThat(engineKeys(server, "exp:")).isEqualTo(1); // only the fresh one is left
            assertThat(j.get("exp:0")).isEqualTo("fresh");
            assertThat(j.get("exp:1")).isNull();
            assertThat(j.exists("exp:2999")).isFalse();
            assertThat(j.dbSize()).isEqualTo(601);
            assertThat(j.get("keep:299")).isEqualTo("value-299");
            assertThat(j.pexpireTime("later:0")).isEqualTo(laterExpiry);
        }
        try (TestServer server = TestServer.start(dir);
                Jedis j = new Jedis("127.0.0.1", server.port())) {
            assertThat(engineKeys(server, "exp:")).isEqualTo(1);
            assertThat(liveSstBytes(server)).isLessThan(before / 4);
            assertThat(j.get("exp:0")).isEqualTo("fresh");
            assertThat(j.get("exp:7")).isNull();
            assertThat(j.dbSize()).isEqualTo(601);
            for (int i = 0; i < 300; i++) {
                assertThat(j.get("keep:" + i)).isEqualTo("value-" + i);
                assertThat(j.get("later:" + i)).isEqualTo("value-" + i);
            }
            assertThat(j.pexpireTime("later:299")).isGreaterThan(System.currentTimeMillis());
        }
    }

    @Test
    void keysThatHaveNotExpiredSurviveCompaction() {
        try (TestServer server = TestServer.start(dir);
                Jedis j = new Jedis("127.0.0.1", server.port())) {
            for (int i = 0; i < 500; i++) {
                j.set("k" + i, "v" + i, SetParams.setParams().ex(3600));
            }
            j.save();
            server.server.keyspace().db().compactRange(null, null);
            assertThat(engineKeys(server, "k")).isEqualTo(500);
            assertThat(j.dbSize()).isEqualTo(500);
            assertThat(j.ttl("k499")).isBetween(3590L, 3600L);
        }
    }
}
