package io.strata.server;

import static io.strata.server.CommandHarness.NIL;
import static io.strata.server.CommandHarness.OK;
import static io.strata.server.CommandHarness.START;
import static io.strata.server.CommandHarness.bulk;
import static io.strata.server.CommandHarness.error;
import static io.strata.server.CommandHarness.integer;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.server.dump.Crc64;
import io.strata.server.dump.DumpPayload;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** DUMP and RESTORE: the format's checks, and payloads exchanged with a real redis-server both ways. */
class DumpRestoreTest extends WithCommandHarness {
    static final String VERSION_OR_CHECKSUM = error("ERR DUMP payload version or checksum are wrong");

    byte[] dump(String key) {
        return CommandHarness.bulkBytes(h.run("DUMP", key));
    }

    @Test
    void crc64CheckValue() {
        byte[] check = b("123456789");
        assertThat(Crc64.of(check, 0, check.length)).isEqualTo(0xe9c6d914c4b8d9caL);
    }

    @Test
    void dumpAndRestoreRoundTrip() {
        assertThat(h.run("DUMP", "nope")).isEqualTo(NIL);
        h.run("SET", "k", "hello", "PX", "5000");
        byte[] p = dump("k");
        assertThat(p).startsWith(0, 5, 'h', 'e', 'l', 'l', 'o', 11, 0); // type, length, bytes, RDB version 11
        assertThat(h.runBytes(b("RESTORE"), b("k"), b("0"), p))
                .isEqualTo(error("BUSYKEY Target key name already " + "exists."));
        assertThat(h.runBytes(b("RESTORE"), b("k"), b("0"), p, b("REPLACE"))).isEqualTo(OK);
        assertThat(h.run("TTL", "k")).isEqualTo(integer(-1));
        assertThat(h.runBytes(b("RESTORE"), b("t"), b("3000"), p)).isEqualTo(OK);
        assertThat(h.run("PEXPIRETIME", "t")).isEqualTo(integer(START + 3000));
        assertThat(h.runBytes(b("RESTORE"), b("a"), b(Long.toString(START + 9)), p, b("ABSTTL")))
                .isEqualTo(OK);
        assertThat(h.run("PEXPIRETIME", "a")).isEqualTo(integer(START + 9));
        assertThat(h.runBytes(b("RESTORE"), b("a"), b(Long.toString(START - 1)), p, b("ABSTTL"), b("REPLACE")))
                .isEqualTo(OK);
        assertThat(h.stored("a")).isNull(); // already expired: the old key deleted, nothing stored
        byte[] big = new byte[20_000];
        Arrays.fill(big, (byte) 'x');
        h.runBytes(b("SET"), b("big"), big);
        assertThat(h.runBytes(b("RESTORE"), b("big2"), b("0"), dump("big"), b("IDLETIME"), b("10")))
                .isEqualTo(OK);
        assertThat(CommandHarness.bulkBytes(h.run("GET", "big2"))).isEqualTo(big);
    }

    @Test
    void restoreRefusesBadPayloadsAndOptions() {
        h.run("SET", "k", "hello");
        byte[] p = dump("k");
        byte[] flipped = p.clone();
        flipped[3] ^= 1;
        assertThat(h.runBytes(b("RESTORE"), b("n"), b("0"), flipped)).isEqualTo(VERSION_OR_CHECKSUM);
        byte[] newer = p.clone();
        newer[p.length - 10] = 12;
        assertThat(h.runBytes(b("RESTORE"), b("n"), b("0"), newer)).isEqualTo(VERSION_OR_CHECKSUM);
        assertThat(h.runBytes(b("RESTORE"), b("n"), b("0"), b("short"))).isEqualTo(VERSION_OR_CHECKSUM);
        byte[] list = withCrc(new byte[] {18, 0, 11, 0});
        assertThat(h.runBytes(b("RESTORE"), b("n"), b("0"), list))
                .isEqualTo(error("ERR Strata stores only strings; this DUMP payload holds a list (RDB type 18)"));
        byte[] truncated = withCrc(new byte[] {0, 9, 'a', 11, 0});
        assertThat(h.runBytes(b("RESTORE"), b("n"), b("0"), truncated)).isEqualTo(error("ERR Bad data format"));
        assertThat(h.runBytes(b("RESTORE"), b("n"), b("-1"), p))
                .isEqualTo(error("ERR Invalid TTL value, must be >= 0"));
        assertThat(h.runBytes(b("RESTORE"), b("n"), b("0"), p, b("FREQ"), b("256")))
                .isEqualTo(error("ERR Invalid FREQ value, must be >= 0 and <= 255"));
        assertThat(h.runBytes(b("RESTORE"), b("n"), b("0"), p, b("IDLETIME"), b("-1")))
                .isEqualTo(error("ERR Invalid IDLETIME value, must be >= 0"));
        assertThat(h.runBytes(b("RESTORE"), b("n"), b("0"), p, b("IDLETIME"), b("1"), b("FREQ"), b("1")))
                .isEqualTo(error("ERR syntax error"));
        assertThat(h.runBytes(b("RESTORE"), b("n"), b("0"), p, b("NOPE"))).isEqualTo(error("ERR syntax error"));
        assertThat(h.stored("n")).isNull();
    }

    @Test
    void restoreReadsTheIntegerAndLzfForms() {
        assertThat(restore(new byte[] {0, (byte) 0xc0, (byte) 0xfb})).isEqualTo(bulk("-5")); // int8
        assertThat(restore(new byte[] {0, (byte) 0xc1, 0x39, 0x30})).isEqualTo(bulk("12345")); // int16
        assertThat(restore(new byte[] {0, (byte) 0xc2, 0x00, 0x00, 0x00, (byte) 0x80}))
                .isEqualTo(bulk("-2147483648")); // int32
        // LZF: the literal "abc", then a back-reference of 9 bytes at distance 3: "abcabcabcabc".
        assertThat(restore(new byte[] {0, (byte) 0xc3, 7, 12, 2, 'a', 'b', 'c', (byte) 0xe0, 0, 2}))
                .isEqualTo(bulk("abcabcabcabc"));
        assertThat(restore(new byte[] {0, (byte) 0xc3, 7, 13, 2, 'a', 'b', 'c', (byte) 0xe0, 0, 2}))
                .isEqualTo(error("ERR Bad data format")); // decodes to fewer bytes than it says
    }

    private String restore(byte[] object) {
        h.run("DEL", "r");
        String reply = h.runBytes(b("RESTORE"), b("r"), b("0"), withCrc(Arrays.copyOf(object, object.length + 2)));
        return reply.equals(OK) ? h.run("GET", "r") : reply;
    }

    /** The object with the RDB version 11 in its last two bytes (left zero by the caller), then its CRC. */
    static byte[] withCrc(byte[] body) {
        return sealed(body, DumpPayload.RDB_VERSION);
    }

    /** The body (object and two bytes for the version) with the version written in, then its CRC. */
    static byte[] sealed(byte[] body, int version) {
        body[body.length - 2] = (byte) version;
        body[body.length - 1] = (byte) (version >>> 8);
        byte[] p = Arrays.copyOf(body, body.length + 8);
        long crc = Crc64.of(body, 0, body.length);
        for (int i = 0; i < 8; i++) {
            p[body.length + i] = (byte) (crc >>> (8 * i));
        }
        return p;
    }

    /**
     * A real redis-server (CI installs it) and Strata exchange DUMP payloads: a short string, an
     * integer-looking one (Redis writes the int form), and a long compressible one (Redis writes
     * LZF). The installed Redis may be older than 7.2 and refuse version 11: then Strata's payload
     * is first checked to be refused for its version alone, and restored with the version Redis has.
     */
    @Test
    void interoperatesWithRedis(@TempDir Path redisDir) throws Exception {
        try (RedisServerProcess redisServer = RedisServerProcess.start(redisDir);
                Jedis jedis = redisServer.connect()) {
            String compressible = "abcdefgh".repeat(100);
            List<String> values = List.of("hello", "12345", "-7", compressible);
            for (String value : values) {
                byte[] key = b("k");
                jedis.set(key, b(value));
                byte[] fromRedis = jedis.dump(key);
                assertThat(h.runBytes(b("RESTORE"), b("s"), b("0"), fromRedis, b("REPLACE")))
                        .as(value)
                        .isEqualTo(OK);
                assertThat(h.run("GET", "s")).as(value).isEqualTo(bulk(value));
                if (value.equals(compressible)) {
                    assertThat(fromRedis.length).as("Redis compressed it").isLessThan(value.length());
                }

                byte[] fromStrata = dump("s");
                int redisVersion = (fromRedis[fromRedis.length - 10] & 0xff) | (fromRedis[fromRedis.length - 9] << 8);
                jedis.del(key);
                if (redisVersion < DumpPayload.RDB_VERSION) {
                    try {
                        jedis.restore(key, 0, fromStrata);
                        throw new AssertionError("Redis with RDB version " + redisVersion + " restored version 11");
                    } catch (redis.clients.jedis.exceptions.JedisDataException e) {
                        assertThat(e.getMessage()).isEqualTo("ERR DUMP payload version or checksum are wrong");
                    }
                    fromStrata = sealed(Arrays.copyOf(fromStrata, fromStrata.length - 8), redisVersion);
                }
                assertThat(jedis.restore(key, 0, fromStrata)).as(value).isEqualTo("OK");
                assertThat(jedis.get(key)).as(value).isEqualTo(b(value));
            }
        }
    }
}
