package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.strata.StrataDb;
import io.strata.server.store.ValueCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.SafeEncoder;

/** STRATA.RANGE, STRATA.STATS, STRATA.COMPACT, STRATA.CHECKPOINT through Jedis and raw sockets. */
class StrataCommandsTest {
    enum Strata implements ProtocolCommand {
        RANGE("STRATA.RANGE"),
        STATS("STRATA.STATS"),
        COMPACT("STRATA.COMPACT"),
        CHECKPOINT("STRATA.CHECKPOINT");

        @SuppressWarnings("ImmutableEnumChecker") // Jedis wants the array; it is never written
        private final byte[] raw;

        Strata(String name) {
            raw = SafeEncoder.encode(name);
        }

        @Override
        public byte[] getRaw() {
            return raw;
        }
    }

    @TempDir
    Path dir;

    @TempDir
    Path elsewhere;

    TestServer server;
    Jedis j;

    @BeforeEach
    void start() {
        // checkpoints are written below the checkpoint directory only (CheckpointConfinementTest)
        server = TestServer.start(dir, c -> c.checkpointDir(elsewhere));
        j = new Jedis("127.0.0.1", server.port());
    }

    @AfterEach
    void stop() {
        j.close();
        server.close();
    }

    /** The flat key, value, ... reply of STRATA.RANGE as strings. */
    @SuppressWarnings("unchecked")
    private List<String> range(String... args) {
        List<byte[]> reply = (List<byte[]>) j.sendCommand(Strata.RANGE, args);
        List<String> out = new ArrayList<>();
        for (byte[] b : reply) {
            out.add(new String(b, StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Only the keys of a STRATA.RANGE reply. */
    private List<String> rangeKeys(String... args) {
        List<String> flat = range(args);
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < flat.size(); i += 2) {
            keys.add(flat.get(i));
        }
        return keys;
    }

    private String error(ProtocolCommand cmd, String... args) {
        try {
            j.sendCommand(cmd, args);
        } catch (JedisDataException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected an error reply");
    }

    @Test
    void rangeReturnsPairsInKeyOrderWithInclusiveBounds() {
        for (String k : new String[] {"e", "a", "c", "b", "d", "f"}) {
            j.set(k, "v" + k);
        }
        assertThat(range("b", "d")).containsExactly("b", "vb", "c", "vc", "d", "vd");
        assertThat(range("b", "d", "LIMIT", "2")).containsExactly("b", "vb", "c", "vc");
        assertThat(range("b", "d", "limit", "0")).isEmpty();
        assertThat(range("bb", "cc")).containsExactly("c", "vc");
        assertThat(range("d", "b")).isEmpty(); // start after end
        assertThat(range("x", "z")).isEmpty();
        assertThat(rangeKeys("", "b")).containsExactly("a", "b"); // empty start: from the first key
        assertThat(rangeKeys("e", "")).containsExactly("e", "f"); // empty end: to the last
        // unsigned byte order, as the keys are stored
        j.set(new byte[] {(byte) 0xff}, "high".getBytes(StandardCharsets.UTF_8));
        j.set(new byte[] {'a', 0}, "nul".getBytes(StandardCharsets.UTF_8));
        @SuppressWarnings("unchecked")
        List<byte[]> raw = (List<byte[]>) j.sendCommand(Strata.RANGE, new byte[] {'a'}, new byte[] {(byte) 0xff, 0});
        assertThat(raw).hasSize(16);
        assertThat(raw.get(2)).containsExactly('a', 0);
        assertThat(raw.get(14)).containsExactly(0xff);
        assertThat(raw.get(15)).isEqualTo("high".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void rangeSkipsExpiredAndDeletedKeys() {
        j.set("k1", "a");
        j.set("k2", "b", SetParams.setParams().px(100));
        j.set("k3", "c", SetParams.setParams().ex(100));
        j.set("k4", "d");
        j.del("k4");
        await().atMost(Duration.ofSeconds(5)).until(() -> j.get("k2") == null);
        assertThat(range("k", "l")).containsExactly("k1", "a", "k3", "c");
        assertThat(range("k", "l", "LIMIT", "1")).containsExactly("k1", "a");
    }

    @Test
    void whereFiltersJsonValues() {
        j.set("u:01", "{\"name\":\"ada\",\"age\":36,\"city\":\"London\",\"active\":true}");
        j.set("u:02", "{\"name\":\"bob\",\"age\":25,\"city\":\"Paris\",\"active\":false}");
        j.set("u:03", "{\"name\":\"cy\",\"age\":30.0,\"city\":\"Paris\"}");
        j.set("u:04", "{\"name\":\"di\",\"age\":\"100\",\"city\":\"Oslo\"}"); // age is a string here
        j.set("u:05", "{\"name\":\"ed\",\"age\":41,\"city\":\"Paris\",\"active\":\"true\"}");
        j.set("u:06", "not json at all");
        j.set("u:07", "[1,2,3]");
        j.set("u:08", "{\"nested\":{\"age\":50}}");
        j.set("u:09", "{\"age\":45} trailing");
        j.set("u:10", "{\"age\":1e2,\"tags\":[\"x\"]}");
        j.set("v:01", "{\"age\":99}"); // outside the range

        assertThat(rangeKeys("u:", "u:~", "WHERE", "age", ">", "30")).containsExactly("u:01", "u:05", "u:10");
        assertThat(rangeKeys("u:", "u:~", "WHERE", "age", ">=", "30")).containsExactly("u:01", "u:03", "u:05", "u:10");
        assertThat(rangeKeys("u:", "u:~", "WHERE", "age", "=", "30")).containsExactly("u:03"); // 30.0 = 30
        assertThat(rangeKeys("u:", "u:~", "WHERE", "age", "=", "100"))
                .containsExactly("u:04", "u:10"); // "100" as text, 1e2 as a number
        // u:04's "100" is a string: compared as text, "100" < "30"
        assertThat(rangeKeys("u:", "u:~", "WHERE", "age", "<", "30")).containsExactly("u:02", "u:04");
        assertThat(rangeKeys("u:", "u:~", "WHERE", "age", "<=", "25")).containsExactly("u:02", "u:04");
        assertThat(rangeKeys("u:", "u:~", "WHERE", "age", "<", "300"))
                .containsExactly("u:01", "u:02", "u:03", "u:04", "u:05", "u:10");
        assertThat(rangeKeys("u:", "u:~", "WHERE", "city", "=", "Paris")).containsExactly("u:02", "u:03", "u:05");
        assertThat(rangeKeys("u:", "u:~", "WHERE", "city", "!=", "Paris")).containsExactly("u:01", "u:04");
        assertThat(rangeKeys("u:", "u:~", "WHERE", "city", ">", "M")).containsExactly("u:02", "u:03", "u:04", "u:05");
    }

    @Test
    void whereDetails() {
        j.set("u:01", "{\"name\":\"ada\",\"age\":36,\"active\":true}");
        j.set("u:02", "{\"name\":\"bob\",\"age\":25,\"active\":false}");
        j.set("u:03", "{\"name\":\"ed\",\"age\":41,\"active\":\"true\",\"tags\":[\"x\",1]}");
        j.set("u:04", "{\"name\":\"émile\",\"age\":-3.5e0}");
        // booleans compare as the words true/false, like a string holding them
        assertThat(rangeKeys("u:", "u:~", "WHERE", "active", "=", "true")).containsExactly("u:01", "u:03");
        // a non-numeric argument against a number: text comparison, "36" != "abc"
        assertThat(rangeKeys("u:", "u:~", "WHERE", "age", "=", "abc")).isEmpty();
        assertThat(rangeKeys("u:", "u:~", "WHERE", "age", "<", "0")).containsExactly("u:04");
        assertThat(rangeKeys("u:", "u:~", "WHERE", "age", ">", "-4")).containsExactly("u:01", "u:02", "u:03", "u:04");
        assertThat(rangeKeys("u:", "u:~", "WHERE", "tags", "=", "[\"x\",1]")).containsExactly("u:03");
        assertThat(rangeKeys("u:", "u:~", "WHERE", "name", ">", "z")).containsExactly("u:04"); // UTF-8 bytes
        assertThat(rangeKeys("u:", "u:~", "WHERE", "missing", "!=", "x")).isEmpty();
        // LIMIT counts matching entries
        assertThat(rangeKeys("u:", "u:~", "WHERE", "age", ">", "0", "LIMIT", "2"))
                .containsExactly("u:01", "u:02");
        assertThat(rangeKeys("u:", "u:~", "LIMIT", "1", "WHERE", "age", ">", "30"))
                .containsExactly("u:01");
        // values come back whole
        assertThat(range("u:02", "u:02", "WHERE", "name", "=", "bob"))
                .containsExactly("u:02", "{\"name\":\"bob\",\"age\":25,\"active\":false}");
    }

    @Test
    void rangeErrors() throws Exception {
        assertThat(error(Strata.RANGE, "a")).isEqualTo("ERR wrong number of arguments for 'strata.range' command");
        assertThat(error(Strata.RANGE, "a", "b", "LIMIT")).isEqualTo("ERR syntax error");
        assertThat(error(Strata.RANGE, "a", "b", "LIMIT", "x"))
                .isEqualTo("ERR value is not an integer or out of range");
        assertThat(error(Strata.RANGE, "a", "b", "LIMIT", "-1")).isEqualTo("ERR LIMIT can't be negative");
        assertThat(error(Strata.RANGE, "a", "b", "LIMIT", "1", "LIMIT", "2")).isEqualTo("ERR syntax error");
        assertThat(error(Strata.RANGE, "a", "b", "WHERE", "f", "=")).isEqualTo("ERR syntax error");
        assertThat(error(Strata.RANGE, "a", "b", "WHERE", "f", "~", "1"))
                .isEqualTo("ERR unknown WHERE operator '~', expected one of = != < <= > >=");
        assertThat(error(Strata.RANGE, "a", "b", "WHERE", "f", "=", "1", "WHERE", "g", "=", "1"))
                .isEqualTo("ERR syntax error");
        assertThat(error(Strata.RANGE, "a", "b", "ORDER")).isEqualTo("ERR syntax error");
        try (var c = server.raw()) {
            c.command("STRATA.RANGE", "a", "b", "WHERE", "f", "=>", "1");
            assertThat(c.reply()).isEqualTo("-ERR unknown WHERE operator '=>', expected one of = != < <= > >=\r\n");
            c.command("strata.range", "a");
            assertThat(c.reply()).isEqualTo("-ERR wrong number of arguments for 'strata.range' command\r\n");
            c.command("PING");
            assertThat(c.reply()).isEqualTo("+PONG\r\n"); // the connection stays usable
        }
    }

    @Test
    void rangeWithoutLimitIsBoundedByKeysLimit() {
        for (int i = 0; i < 10; i++) {
            j.set("k" + i, "v");
        }
        j.configSet("strata-keys-limit", "5");
        assertThat(error(Strata.RANGE, "k", "l"))
                .isEqualTo("ERR STRATA.RANGE would return more than strata-keys-limit (5) entries; use LIMIT or a "
                        + "narrower range");
        assertThat(rangeKeys("k", "l", "LIMIT", "10")).hasSize(10);
        assertThat(rangeKeys("k0", "k4")).hasSize(5);
    }

    @Test
    void rawRepliesInResp2AndResp3AndPipelining() throws Exception {
        try (var c = server.raw()) {
            // the writes pipelined before the range are committed before it runs
            c.send(TestServer.RawClient.encode("SET", "a", "{\"n\":1}")
                    + TestServer.RawClient.encode("MSET", "b", "{\"n\":2}", "c", "x")
                    + TestServer.RawClient.encode("STRATA.RANGE", "a", "c")
                    + TestServer.RawClient.encode("STRATA.RANGE", "a", "c", "WHERE", "n", ">=", "2"));
            assertThat(c.reply()).isEqualTo("+OK\r\n");
            assertThat(c.reply()).isEqualTo("+OK\r\n");
            assertThat(c.reply())
                    .isEqualTo(
                            "*6\r\n$1\r\na\r\n$7\r\n{\"n\":1}\r\n$1\r\nb\r\n$7\r\n{\"n\":2}\r\n$1\r\nc\r\n$1\r\nx\r\n");
            assertThat(c.reply()).isEqualTo("*2\r\n$1\r\nb\r\n$7\r\n{\"n\":2}\r\n");
            c.command("HELLO", "3");
            assertThat(c.reply()).startsWith("%");
            c.command("STRATA.RANGE", "a", "b");
            assertThat(c.reply()).isEqualTo("*4\r\n$1\r\na\r\n$7\r\n{\"n\":1}\r\n$1\r\nb\r\n$7\r\n{\"n\":2}\r\n");
            c.command("STRATA.RANGE", "y", "z");
            assertThat(c.reply()).isEqualTo("*0\r\n");
            c.command("STRATA.STATS");
            String stats = c.reply();
            assertThat(stats)
                    .startsWith("=")
                    .contains("txt:** Compaction stats **")
                    .contains("write amplification");
            // inline, as telnet sends it
            c.send("strata.range a a\r\n");
            assertThat(c.reply()).isEqualTo("*2\r\n$1\r\na\r\n$7\r\n{\"n\":1}\r\n");
        }
    }

    @Test
    void statsReturnsTheEngineStatistics() {
        j.set("a", "b");
        j.save();
        String stats = SafeEncoder.encode((byte[]) j.sendCommand(Strata.STATS));
        assertThat(stats).contains("** Compaction stats **").contains("L0").contains("flushes: 1");
        assertThat(error(Strata.STATS, "x")).isEqualTo("ERR wrong number of arguments for 'strata.stats' command");
    }

    @Test
    void compactReclaimsExpiredKeysAndKeepsData() {
        for (int i = 0; i < 2000; i++) {
            j.set("t" + i, "x".repeat(100) + i, SetParams.setParams().px(200));
            if (i % 10 == 0) {
                j.set("p" + i, "v" + i);
            }
        }
        j.save();
        long before = Long.parseLong(server.server.keyspace().db().getProperty("strata.live-sst-bytes"));
        await().atMost(Duration.ofSeconds(5)).until(() -> j.get("t1999") == null);
        assertThat(SafeEncoder.encode((byte[]) j.sendCommand(Strata.COMPACT, "p", "q")))
                .isEqualTo("OK"); // only p*
        assertThat(SafeEncoder.encode((byte[]) j.sendCommand(Strata.COMPACT))).isEqualTo("OK");
        long after = Long.parseLong(server.server.keyspace().db().getProperty("strata.live-sst-bytes"));
        assertThat(after).isLessThan(before / 4);
        assertThat(j.dbSize()).isEqualTo(200);
        assertThat(j.get("p1990")).isEqualTo("v1990");
        assertThat(SafeEncoder.encode((byte[]) j.sendCommand(Strata.COMPACT, "z", "a")))
                .isEqualTo("OK"); // empty range
        assertThat(error(Strata.COMPACT, "a")).isEqualTo("ERR syntax error");
        assertThat(error(Strata.COMPACT, "a", "b", "c")).isEqualTo("ERR syntax error");
    }

    @Test
    void checkpointWritesAnOpenableCopy() throws Exception {
        for (int i = 0; i < 500; i++) {
            j.set("c" + i, "v" + i);
        }
        j.save();
        j.set("after-save", "in the WAL");
        Path target = elsewhere.resolve("cp1");
        assertThat(SafeEncoder.encode((byte[]) j.sendCommand(Strata.CHECKPOINT, target.toString())))
                .isEqualTo("OK");
        j.set("after-checkpoint", "x");
        assertThat(error(Strata.CHECKPOINT, target.toString()))
                .isEqualTo("ERR checkpoint directory '" + target + "' already exists");
        Files.createFile(elsewhere.resolve("file"));
        assertThat(error(Strata.CHECKPOINT, elsewhere.resolve("file").toString()))
                .endsWith("already exists");
        assertThat(error(Strata.CHECKPOINT, "")).isEqualTo("ERR invalid checkpoint directory: empty path");
        assertThat(error(Strata.CHECKPOINT)).isEqualTo("ERR wrong number of arguments for 'strata.checkpoint' command");

        try (StrataDb copy = StrataDb.open(target)) {
            byte[] raw = copy.get("c499".getBytes(StandardCharsets.UTF_8));
            assertThat(new String(raw, ValueCodec.payloadOffset(raw), raw.length - 1, StandardCharsets.UTF_8))
                    .isEqualTo("v499");
        }
        // a server over the copy serves it
        try (TestServer copy = TestServer.start(target);
                Jedis cj = new Jedis("127.0.0.1", copy.port())) {
            assertThat(cj.get("c0")).isEqualTo("v0");
            assertThat(cj.get("after-save")).isEqualTo("in the WAL");
            assertThat(cj.get("after-checkpoint")).isNull();
            assertThat(cj.dbSize()).isEqualTo(501);
        }
    }

    @Test
    void commandTableListsThem() {
        assertThat(j.commandCount()).isPositive();
        try (var c = server.raw()) {
            c.command("COMMAND", "INFO", "strata.range");
            assertThat(c.reply()).startsWith("*1\r\n*10\r\n$12\r\nstrata.range\r\n:-3\r\n");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThatThrownBy(() -> j.sendCommand(Strata.RANGE)).isInstanceOf(JedisDataException.class);
    }
}
