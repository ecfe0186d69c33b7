package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strata.StrataDb;
import io.strata.StrataIterator;
import io.strata.server.store.ExpiredValueFilter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

/**
 * Expired keys leave the disk: deleted by the active expiry, then compacted away; and compaction
 * drops an expired value the active expiry has not reached (the server's {@code ExpiredValueFilter}).
 */
class ExpiryCompactionTest {
    @TempDir
    Path dir;

    private static long liveSstBytes(TestServer s) {
        return Long.parseLong(s.server.keyspace().db().getProperty("strata.live-sst-bytes"));
    }

    /** Keys with the prefix that the engine itself still holds, expired or not. */
    private static int engineKeys(TestServer s, String prefix) {
        return engineKeys(s.server.keyspace().db(), prefix);
    }

    private static int engineKeys(StrataDb db, String prefix) {
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
            await().atMost(Duration.ofSeconds(30))
                    .alias("the active expiry deletes the others")
                    .until(() -> engineKeys(server, "exp:") == 1);

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
    void compactionDropsExpiredValuesTheActiveExpiryHasNotReached() {
        // The harness runs no active expiry, and its clock stands years before the filter's, so
        // what it writes with PX 400 has expired for compaction but is still stored.
        CommandHarness.Setup setup = CommandHarness.Setup.defaults()
                .withEngine(o -> o.compactionFilter(new ExpiredValueFilter(System::currentTimeMillis)));
        Random rnd = new Random(42);
        try (CommandHarness h = CommandHarness.open(dir, setup)) {
            for (int i = 0; i < 3000; i++) {
                StringBuilder v = new StringBuilder();
                for (int c = 0; c < 200; c++) {
                    v.append((char) (' ' + rnd.nextInt(95)));
                }
                h.run("SET", "exp:" + i, v.toString(), "PX", "400");
            }
            for (int i = 0; i < 300; i++) {
                h.run("SET", "keep:" + i, "value-" + i);
            }
            h.db.flush();
            long before = Long.parseLong(h.db.getProperty("strata.live-sst-bytes"));
            assertThat(engineKeys(h.db, "exp:")).as("expired, but stored").isEqualTo(3000);
            h.db.compactRange(null, null);
            assertThat(engineKeys(h.db, "exp:")).isZero();
            assertThat(engineKeys(h.db, "keep:")).isEqualTo(300);
            assertThat(Long.parseLong(h.db.getProperty("strata.live-sst-bytes")))
                    .isLessThan(before / 4);
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
