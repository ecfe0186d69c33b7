package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * A GET whose value is in memory runs on its connection's I/O thread; a GET that would read a
 * file, and every other command, is handed to the connection's command thread, in order with
 * what surrounds it, and is run (and counted) once.
 */
class InlineReadsTest {
    @TempDir
    Path dir;

    private static long info(Jedis j, String section, String field) {
        for (String line : (Iterable<String>) j.info(section).lines()::iterator) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1));
            }
        }
        throw new AssertionError("INFO " + section + " has no " + field);
    }

    private static long getCalls(Jedis j) {
        for (String line : (Iterable<String>) j.info("commandstats").lines()::iterator) {
            if (line.startsWith("cmdstat_get:calls=")) {
                return Long.parseLong(line.substring("cmdstat_get:calls=".length(), line.indexOf(',')));
            }
        }
        return 0;
    }

    @Test
    void getsOfValuesInMemoryRunOnTheIoThreadAndOtherCommandsAreHandedOver() {
        try (TestServer server = TestServer.start(dir);
                Jedis j = new Jedis("127.0.0.1", server.port())) {
            j.set("a", "1");
            j.configResetStat();
            for (int i = 0; i < 10; i++) {
                assertThat(j.get("a")).isEqualTo("1");
                assertThat(j.get("absent")).isNull();
            }
            assertThat(info(j, "strata", "inline_commands")).isEqualTo(20);
            assertThat(getCalls(j)).isEqualTo(20);
            long before = info(j, "strata", "command_thread_handovers");
            j.set("b", "2");
            assertThat(info(j, "strata", "command_thread_handovers")).isGreaterThan(before);
            assertThat(info(j, "stats", "keyspace_hits")).isEqualTo(10);
            assertThat(info(j, "stats", "keyspace_misses")).isEqualTo(10);
        }
    }

    @Test
    void aGetThatNeedsAFileRunsOnTheCommandThreadOnceAndTheNextFromMemory() {
        try (TestServer server = TestServer.start(dir);
                Jedis j = new Jedis("127.0.0.1", server.port())) {
            for (int i = 0; i < 500; i++) {
                j.set("k" + i, "v" + i);
            }
            j.save(); // into a table
        }
        try (TestServer server = TestServer.start(dir);
                Jedis j = new Jedis("127.0.0.1", server.port())) {
            j.configResetStat();
            // Reopened: the table is not open and its blocks are not cached.
            assertThat(j.get("k7")).isEqualTo("v7");
            assertThat(info(j, "strata", "inline_commands")).isZero();
            assertThat(getCalls(j)).as("counted once, where it ran").isEqualTo(1);
            assertThat(info(j, "stats", "keyspace_hits")).isEqualTo(1);
            assertThat(j.get("k7")).isEqualTo("v7");
            assertThat(info(j, "strata", "inline_commands"))
                    .as("now in the block cache")
                    .isEqualTo(1);
            assertThat(getCalls(j)).isEqualTo(2);
        }
    }

    @Test
    void aPipelineMixingInlineGetsAndHandedOverCommandsKeepsItsOrder() throws Exception {
        int rounds = 300;
        StringBuilder pipeline = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < rounds; i++) {
            String k = "p" + i;
            pipeline.append(TestServer.RawClient.encode("GET", k))
                    .append(TestServer.RawClient.encode("SET", k, "one"))
                    .append(TestServer.RawClient.encode("GET", k))
                    .append(TestServer.RawClient.encode("SET", k, "two"))
                    .append(TestServer.RawClient.encode("GET", k))
                    .append(TestServer.RawClient.encode("INCR", "n"))
                    .append(TestServer.RawClient.encode("GET", "n"));
            String n = Integer.toString(i + 1);
            expected.append("$-1\r\n+OK\r\n$3\r\none\r\n+OK\r\n$3\r\ntwo\r\n:")
                    .append(n)
                    .append("\r\n$")
                    .append(n.length())
                    .append("\r\n")
                    .append(n)
                    .append("\r\n");
        }
        try (TestServer server = TestServer.start(dir);
                TestServer.RawClient c = server.raw()) {
            c.send(pipeline.toString());
            StringBuilder got = new StringBuilder();
            for (int i = 0; i < rounds * 7; i++) {
                got.append(c.reply());
            }
            assertThat(got.toString()).isEqualTo(expected.toString());
        }
    }
}
