package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Scripts over the socket: Jedis's eval, evalsha and scriptLoad; redis-py's register_script and
 * its Lock (acquire, extend, release are scripts); a script's atomicity against concurrent
 * INCRs; ACL checks of the commands a script calls; the command metrics of those commands.
 */
class ScriptClientsTest {
    @TempDir
    Path dir;

    @Test
    void jedisEvalEvalshaAndScriptLoad() {
        try (TestServer server = TestServer.start(dir);
                Jedis j = new Jedis("127.0.0.1", server.port())) {
            assertThat(j.eval("return redis.call('set', KEYS[1], ARGV[1])", List.of("k"), List.of("v")))
                    .isEqualTo("OK");
            assertThat(j.eval("return {KEYS[1], ARGV[1], 3, redis.call('get', KEYS[1])}", List.of("k"), List.of("a")))
                    .isEqualTo(List.of("k", "a", 3L, "v"));
            String sha = j.scriptLoad("return redis.call('incrby', KEYS[1], ARGV[1])");
            assertThat(j.evalsha(sha, List.of("n"), List.of("5"))).isEqualTo(5L);
            assertThat(j.scriptExists(sha, "0000000000000000000000000000000000000000"))
                    .containsExactly(true, false);
            assertThat(j.evalsha(
                            sha.getBytes(StandardCharsets.US_ASCII),
                            1,
                            "n".getBytes(StandardCharsets.US_ASCII),
                            "2".getBytes(StandardCharsets.US_ASCII)))
                    .isEqualTo(7L);
            assertThat(j.scriptFlush()).isEqualTo("OK");
            JedisDataException e = org.junit.jupiter.api.Assertions.assertThrows(
                    JedisDataException.class, () -> j.evalsha(sha, List.of("n"), List.of("1")));
            assertThat(e.getMessage()).isEqualTo(ScriptCommands.NOSCRIPT);
        }
    }

    /** redis-py's scripts, as a distributed lock uses them. Skipped without redis-py, except in CI. */
    @Test
    void redisPyRegisterScriptAndLock() throws Exception {
        String python = TransactionClientsTest.requirePythonWithRedis();
        try (TestServer server = TestServer.start(dir)) {
            String out = TransactionClientsTest.runRedisPy(
                    python,
                    dir,
                    "lock.py",
                    server,
                    "import sys, redis",
                    "r = redis.Redis(host='127.0.0.1', port=int(sys.argv[1]))",
                    "add = r.register_script(\"return redis.call('incrby', KEYS[1], ARGV[1])\")",
                    "print(add(keys=['n'], args=[2]), add(keys=['n'], args=[3]))",
                    "r.script_flush()",
                    "print(add(keys=['n'], args=[1]))", // NOSCRIPT, then redis-py loads it again
                    "lock = r.lock('resource', timeout=10)",
                    "print(lock.acquire(blocking=False), r.lock('resource').acquire(blocking=False))",
                    "print(lock.extend(5), 10000 < r.pttl('resource') <= 15000)",
                    "print(lock.reacquire(), 9000 < r.pttl('resource') <= 10000)",
                    "lock.release()",
                    "print(r.exists('resource'))",
                    "try:",
                    "    lock.release()",
                    "except redis.exceptions.LockError as e:",
                    "    print('LockError')",
                    "");
            assertThat(out.lines().toList())
                    .containsExactly("2 5", "6", "True False", "True True", "True True", "0", "LockError");
        }
    }

    /**
     * Scripts that read, compute and write a counter (a lost update if they were not atomic) run
     * against clients INCRing the same counter. Each client's count is fixed by a seeded random.
     */
    @Test
    void aScriptIsAtomicAgainstConcurrentIncrs() throws Exception {
        long seed = 20261203L;
        System.out.println("ScriptClientsTest.aScriptIsAtomicAgainstConcurrentIncrs seed " + seed);
        Random random = new Random(seed);
        String readModifyWrite = "local v = tonumber(redis.call('get', KEYS[1]) or '0') "
                + "local s = 0 for i = 1, 2000 do s = s + i end " // time for others to interleave, were it possible
                + "redis.call('set', KEYS[1], v + 1) redis.call('incr', KEYS[2]) return v + 1";
        int clients = 6;
        int[] perClient = new int[clients];
        int total = 0;
        for (int c = 0; c < clients; c++) {
            perClient[c] = 100 + random.nextInt(200);
            total += perClient[c];
        }
        try (TestServer server = TestServer.start(dir)) {
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    int n = perClient[c];
                    boolean scripted = c % 2 == 0;
                    done.add(pool.submit(() -> {
                        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
                            for (int i = 0; i < n; i++) {
                                if (scripted) {
                                    j.eval(readModifyWrite, List.of("counter", "scripts"), List.of());
                                } else {
                                    j.incr("counter");
                                }
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) {
                    f.get(120, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            try (Jedis j = new Jedis("127.0.0.1", server.port())) {
                int scripts = perClient[0] + perClient[2] + perClient[4];
                assertThat(j.get("scripts")).isEqualTo(Integer.toString(scripts));
                assertThat(j.get("counter")).as("no update lost").isEqualTo(Integer.toString(total));
            }
        }
    }

    @Test
    void theCommandsAScriptCallsAreCheckedAgainstTheUsersAcl() throws Exception {
        try (TestServer server = TestServer.start(dir);
                TestServer.RawClient admin = server.raw();
                TestServer.RawClient limited = server.raw()) {
            assertThat(admin.command("ACL", "SETUSER", "lim", "on", "nopass", "~a*", "+eval", "+get", "+set")
                            .reply())
                    .isEqualTo("+OK\r\n");
            assertThat(limited.command("AUTH", "lim", "x").reply()).isEqualTo("+OK\r\n");
            String body = "return redis.call('get','b')";
            assertThat(limited.command("EVAL", body, "0").reply())
                    .isEqualTo("-ERR The user executing the script can't access at least one of the keys mentioned in "
                            + "the command arguments script: " + ScriptingTest.sha(body) + ", on @user_script:1.\r\n");
            body = "return redis.call('incr','a')";
            assertThat(limited.command("EVAL", body, "0").reply())
                    .isEqualTo("-ERR The user executing the script can't run this command or subcommand script: "
                            + ScriptingTest.sha(body) + ", on @user_script:1.\r\n");
            assertThat(limited.command("EVAL", "return redis.pcall('incr','a')", "0")
                            .reply())
                    .isEqualTo("-ERR The user executing the script can't run this command or subcommand\r\n");
            assertThat(limited.command("EVAL", "return redis.acl_check_cmd('incr','a')", "0")
                            .reply())
                    .isEqualTo("$-1\r\n");
            assertThat(limited.command("EVAL", "return redis.acl_check_cmd('get','a')", "0")
                            .reply())
                    .isEqualTo(":1\r\n");
            assertThat(limited.command("EVAL", "return redis.call('set','a1','x')", "0")
                            .reply())
                    .isEqualTo("+OK\r\n");
            assertThat(limited.command("EVALSHA", "ffffffffffffffffffffffffffffffffffffffff", "0")
                            .reply())
                    .startsWith("-NOPERM "); // (EVALSHA itself is not allowed to lim)
        }
    }

    @Test
    void theCommandsAScriptCallsAreCountedInTheCommandMetrics() throws Exception {
        try (TestServer server = MetricsTest.startWithMetrics(dir);
                Jedis j = new Jedis("127.0.0.1", server.port())) {
            j.eval("redis.call('set','s','x') redis.call('incr','n') redis.pcall('incr','s') return 1");
            Map<String, Double> s = MetricsTest.samples(
                    MetricsTest.get(server.server.metricsPort(), "/metrics").body());
            assertThat(s).containsEntry("strata_commands_total{command=\"eval\"}", 1.0);
            assertThat(s).containsEntry("strata_commands_total{command=\"set\"}", 1.0);
            assertThat(s).containsEntry("strata_commands_total{command=\"incr\"}", 2.0);
            assertThat(s).containsEntry("strata_command_errors_total{command=\"incr\"}", 1.0);
            assertThat(s).containsEntry("strata_command_errors_total{command=\"eval\"}", 0.0);
        }
    }
}
