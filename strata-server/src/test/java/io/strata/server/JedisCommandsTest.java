package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.GetExParams;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;

/** The commands through Jedis, an unmodified Redis client. */
class JedisCommandsTest {
    @TempDir
    Path dir;

    TestServer server;
    Jedis jedis;

    @BeforeEach
    void start() {
        server = TestServer.start(dir);
        jedis = new Jedis("127.0.0.1", server.port());
    }

    @AfterEach
    void stop() {
        jedis.close();
        server.close();
    }

    @Test
    void connectionCommands() {
        assertThat(jedis.ping()).isEqualTo("PONG");
        assertThat(jedis.ping("hi")).isEqualTo("hi");
        assertThat(jedis.echo("echo")).isEqualTo("echo");
        assertThat(jedis.select(0)).isEqualTo("OK");
        assertThatThrownBy(() -> jedis.select(3)).hasMessage("ERR DB index is out of range");
        assertThat(jedis.clientSetname("app-1")).isEqualTo("OK");
        assertThat(jedis.clientGetname()).isEqualTo("app-1");
        assertThat(jedis.clientId()).isPositive();
        assertThat(jedis.clientList()).contains("name=app-1").contains("id=" + jedis.clientId());
        assertThat(jedis.clientInfo()).contains("name=app-1");
        assertThatThrownBy(() -> jedis.clientSetname("bad name"))
                .hasMessage("ERR Client names cannot contain spaces, newlines or special characters.");
        assertThat(jedis.time()).hasSize(2);
    }

    @Test
    void stringCommands() {
        assertThat(jedis.set("k", "v")).isEqualTo("OK");
        assertThat(jedis.get("k")).isEqualTo("v");
        assertThat(jedis.get("missing")).isNull();
        assertThat(jedis.set("k", "w", SetParams.setParams().nx())).isNull();
        assertThat(jedis.set("k", "w", SetParams.setParams().xx())).isEqualTo("OK");
        assertThat(jedis.set("new", "w", SetParams.setParams().xx())).isNull();
        assertThat(jedis.setGet("k", "x")).isEqualTo("w");
        assertThat(jedis.setnx("k", "y")).isZero();
        assertThat(jedis.setnx("k2", "y")).isOne();
        assertThat(jedis.getSet("k2", "z")).isEqualTo("y");
        assertThat(jedis.getDel("k2")).isEqualTo("z");
        assertThat(jedis.exists("k2")).isFalse();
        assertThat(jedis.mset("a", "1", "b", "2", "c", "3")).isEqualTo("OK");
        assertThat(jedis.mget("a", "nope", "c")).containsExactly("1", null, "3");
        assertThat(jedis.msetnx("c", "9", "d", "4")).isZero();
        assertThat(jedis.get("d")).isNull();
        assertThat(jedis.msetnx("d", "4", "e", "5")).isOne();
        assertThat(jedis.incr("n")).isEqualTo(1);
        assertThat(jedis.incrBy("n", 10)).isEqualTo(11);
        assertThat(jedis.decr("n")).isEqualTo(10);
        assertThat(jedis.decrBy("n", 20)).isEqualTo(-10);
        assertThat(jedis.incrByFloat("f", 10.5)).isEqualTo(10.5);
        assertThat(jedis.incrByFloat("f", 0.1)).isEqualTo(10.6);
        assertThat(jedis.get("f")).isEqualTo("10.6");
        assertThat(jedis.append("s", "Hello")).isEqualTo(5);
        assertThat(jedis.append("s", " World")).isEqualTo(11);
        assertThat(jedis.strlen("s")).isEqualTo(11);
        assertThat(jedis.strlen("nope")).isZero();
        assertThat(jedis.getrange("s", 0, 4)).isEqualTo("Hello");
        assertThat(jedis.getrange("s", -5, -1)).isEqualTo("World");
        assertThat(jedis.getrange("s", 5, 2)).isEmpty();
        assertThat(jedis.getrange("nope", 0, -1)).isEmpty();
        assertThat(jedis.setrange("s", 6, "Redis")).isEqualTo(11);
        assertThat(jedis.get("s")).isEqualTo("Hello Redis");
        assertThat(jedis.setrange("pad", 3, "x")).isEqualTo(4);
        assertThat(jedis.get("pad")).isEqualTo("\0\0\0x");
        assertThatThrownBy(() -> jedis.setrange("s", -1, "x")).hasMessage("ERR offset is out of range");
        assertThat(jedis.type("s")).isEqualTo("string");
        assertThat(jedis.type("nope")).isEqualTo("none");
        assertThat(jedis.exists("a", "b", "nope", "a")).isEqualTo(3);
        assertThat(jedis.del("a", "b", "nope")).isEqualTo(2);
        assertThat(jedis.unlink("c", "c")).isEqualTo(1);
        assertThatThrownBy(() -> jedis.set("", "v"))
                .isInstanceOf(JedisDataException.class)
                .hasMessageContaining("empty keys");
    }

    @Test
    void expiry() throws Exception {
        jedis.set("t", "v", SetParams.setParams().ex(100));
        assertThat(jedis.ttl("t")).isBetween(99L, 100L);
        assertThat(jedis.pttl("t")).isBetween(99_000L, 100_000L);
        assertThat(jedis.expireTime("t")).isGreaterThan(System.currentTimeMillis() / 1000);
        assertThat(jedis.ttl("nope")).isEqualTo(-2);
        jedis.set("plain", "v");
        assertThat(jedis.ttl("plain")).isEqualTo(-1);
        assertThat(jedis.persist("t")).isOne();
        assertThat(jedis.ttl("t")).isEqualTo(-1);
        assertThat(jedis.persist("t")).isZero();
        assertThat(jedis.expire("t", 50)).isOne();
        assertThat(jedis.expire("nope", 50)).isZero();
        assertThat(jedis.pexpire("t", 50_000)).isOne();
        assertThat(jedis.expireAt("t", System.currentTimeMillis() / 1000 + 1000))
                .isOne();
        assertThat(jedis.ttl("t")).isBetween(998L, 1000L);
        assertThat(jedis.pexpireAt("t", System.currentTimeMillis() + 5000)).isOne();
        // KEEPTTL keeps it, a plain SET drops it
        jedis.set("t", "v2", SetParams.setParams().keepTtl());
        assertThat(jedis.pttl("t")).isPositive();
        jedis.set("t", "v3");
        assertThat(jedis.ttl("t")).isEqualTo(-1);
        // INCR keeps the TTL, as in Redis
        jedis.setex("cnt", 100, "1");
        jedis.incr("cnt");
        assertThat(jedis.ttl("cnt")).isPositive();
        // GETEX
        assertThat(jedis.getEx("cnt", GetExParams.getExParams().persist())).isEqualTo("2");
        assertThat(jedis.ttl("cnt")).isEqualTo(-1);
        assertThat(jedis.getEx("cnt", GetExParams.getExParams().px(100_000))).isEqualTo("2");
        assertThat(jedis.pttl("cnt")).isPositive();
        // a short expiry makes the key invisible at once when it passes
        jedis.psetex("short", 50, "v");
        jedis.set("short2", "v", SetParams.setParams().px(50));
        assertThat(jedis.get("short")).isEqualTo("v");
        Thread.sleep(120);
        assertThat(jedis.get("short")).isNull();
        assertThat(jedis.exists("short2")).isFalse();
        assertThat(jedis.ttl("short")).isEqualTo(-2);
        assertThat(jedis.keys("short*")).isEmpty();
        // an expiry in the past deletes
        jedis.set("gone", "v");
        assertThat(jedis.expire("gone", -1)).isOne();
        assertThat(jedis.exists("gone")).isFalse();
        // NX / XX / GT / LT
        jedis.set("o", "v");
        assertThat(jedis.expire("o", 100, redis.clients.jedis.args.ExpiryOption.XX))
                .isZero();
        assertThat(jedis.expire("o", 100, redis.clients.jedis.args.ExpiryOption.NX))
                .isOne();
        assertThat(jedis.expire("o", 50, redis.clients.jedis.args.ExpiryOption.GT))
                .isZero();
        assertThat(jedis.expire("o", 200, redis.clients.jedis.args.ExpiryOption.GT))
                .isOne();
        assertThat(jedis.expire("o", 10, redis.clients.jedis.args.ExpiryOption.LT))
                .isOne();
        assertThat(jedis.ttl("o")).isBetween(9L, 10L);
    }

    @Test
    void scanReturnsEveryKeyInOrder() {
        Set<String> all = new HashSet<>();
        for (int i = 0; i < 250; i++) {
            jedis.set("user:" + i, "v");
            all.add("user:" + i);
            jedis.set("other:" + i, "v");
        }
        List<String> seen = new ArrayList<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        int calls = 0;
        do {
            ScanResult<String> r =
                    jedis.scan(cursor, new ScanParams().match("user:*").count(20));
            seen.addAll(r.getResult());
            cursor = r.getCursor();
            calls++;
        } while (!cursor.equals("0"));
        assertThat(seen).hasSize(250).containsExactlyInAnyOrderElementsOf(all);
        assertThat(seen).isSorted();
        assertThat(calls).isGreaterThan(10);
        // without MATCH: all 500
        Set<String> every = new HashSet<>();
        cursor = "0";
        do {
            ScanResult<String> r = jedis.scan(cursor);
            every.addAll(r.getResult());
            cursor = r.getCursor();
        } while (!cursor.equals("0"));
        assertThat(every).hasSize(500);
        assertThat(jedis.keys("user:1?")).hasSize(10);
        assertThat(jedis.keys("*")).hasSize(500);
        assertThat(jedis.dbSize()).isEqualTo(500);
    }

    @Test
    void keysLimitIsEnforced() {
        jedis.configSet("strata-keys-limit", "5");
        for (int i = 0; i < 6; i++) {
            jedis.set("k" + i, "v");
        }
        assertThat(jedis.keys("k[0-4]")).hasSize(5);
        assertThatThrownBy(() -> jedis.keys("*")).hasMessageContaining("KEYS would return more than 5 keys");
    }

    @Test
    void serverCommands() {
        assertThat(jedis.configGet("save")).containsEntry("save", "");
        assertThat(jedis.configGet("appendonly")).containsEntry("appendonly", "yes");
        assertThat(jedis.configGet("maxmemory")).containsEntry("maxmemory", "0");
        assertThat(jedis.configGet("databases")).containsEntry("databases", "1");
        Map<String, String> max = jedis.configGet("max*");
        assertThat(max).containsKeys("maxclients", "maxmemory", "maxmemory-policy");
        assertThat(jedis.configSet("timeout", "300")).isEqualTo("OK");
        assertThat(jedis.configGet("timeout")).containsEntry("timeout", "300");
        assertThatThrownBy(() -> jedis.configSet("bind", "0.0.0.0"))
                .hasMessage("ERR CONFIG SET failed (possibly related to argument 'bind') - can't set immutable config");
        jedis.set("a", "1");
        jedis.set("b", "2", SetParams.setParams().ex(100));
        String info = jedis.info();
        assertThat(info)
                .contains(
                        "# Server",
                        "redis_version:7.2.0",
                        "# Clients",
                        "connected_clients:1",
                        "# Memory",
                        "# Persistence",
                        "# Stats",
                        "# Keyspace",
                        "db0:keys=2,expires=1",
                        "# Strata",
                        "last_sequence:",
                        "files_at_level0:",
                        "write_amplification:",
                        "stall_writes_level0_stop:");
        assertThat(jedis.info("keyspace")).doesNotContain("# Server").contains("db0:keys=2");
        assertThat(jedis.dbSize()).isEqualTo(2);
        assertThat(jedis.save()).isEqualTo("OK");
        assertThat(jedis.info("strata")).contains("files_at_level0:1");
        assertThat(jedis.bgsave()).isEqualTo("Background saving started");
        assertThat(jedis.lastsave()).isPositive();
        assertThat(jedis.get("a")).isEqualTo("1");
        assertThat(jedis.flushDB()).isEqualTo("OK");
        assertThat(jedis.dbSize()).isZero();
        jedis.set("c", "3");
        assertThat(jedis.flushAll()).isEqualTo("OK");
        assertThat(jedis.get("c")).isNull();
        assertThat(jedis.commandCount()).isGreaterThan(50);
        assertThat(jedis.commandInfo("get")).containsKey("get");
        assertThat(jedis.commandDocs("set")).containsKey("set");
    }

    @Test
    void pipelineThroughJedis() {
        Pipeline p = jedis.pipelined();
        List<Response<Long>> incrs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            p.set("p" + i, Integer.toString(i));
            incrs.add(p.incr("pc"));
        }
        Response<String> last = p.get("p999");
        p.sync();
        assertThat(incrs.get(999).get()).isEqualTo(1000);
        assertThat(last.get()).isEqualTo("999");
    }

    @Test
    void resp3ThroughJedis() {
        try (Jedis j3 = new Jedis(
                new HostAndPort("127.0.0.1", server.port()),
                DefaultJedisClientConfig.builder()
                        .protocol(RedisProtocol.RESP3)
                        .clientName("r3")
                        .build())) {
            assertThat(j3.ping()).isEqualTo("PONG");
            j3.set("k", "v");
            assertThat(j3.get("k")).isEqualTo("v");
            assertThat(j3.get("missing")).isNull();
            assertThat(j3.configGet("databases")).containsEntry("databases", "1");
            assertThat(j3.incrByFloat("f", 1.5)).isEqualTo(1.5);
            assertThat(j3.clientGetname()).isEqualTo("r3");
            assertThat(j3.clientInfo()).contains("resp=3");
            assertThat(j3.info("server")).contains("redis_version");
        }
    }

    @Test
    void binaryKeysAndValues() {
        byte[] key = {0, 1, (byte) 0xff, '\r', '\n'};
        byte[] value = new byte[100_000];
        new java.util.Random(1).nextBytes(value);
        jedis.set(key, value);
        assertThat(jedis.get(key)).isEqualTo(value);
        assertThat(jedis.strlen(key)).isEqualTo(100_000);
    }
}
