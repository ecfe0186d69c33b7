package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;

/** Transactions over the socket: Jedis's Transaction, redis-cli, redis-py's pipeline, and other clients meanwhile. */
class TransactionClientsTest {
    @TempDir
    Path dir;

    @Test
    void jedisTransactionsAndWatch() {
        try (TestServer server = TestServer.start(dir);
                Jedis j = new Jedis("127.0.0.1", server.port());
                Jedis other = new Jedis("127.0.0.1", server.port())) {
            Transaction t = j.multi();
            Response<String> set = t.set("a", "1");
            Response<Long> incr = t.incr("a");
            Response<String> get = t.get("a");
            assertThat(t.exec()).containsExactly("OK", 2L, "2");
            assertThat(set.get()).isEqualTo("OK");
            assertThat(incr.get()).isEqualTo(2L);
            assertThat(get.get()).isEqualTo("2");

            assertThat(j.watch("a")).isEqualTo("OK");
            other.set("a", "2");
            Transaction aborted = j.multi();
            aborted.set("b", "1");
            assertThat(aborted.exec()).as("a watched key changed").isNull();
            assertThat(j.get("b")).isNull();

            j.watch("a");
            Transaction kept = j.multi();
            kept.incrBy("a", 10);
            assertThat(kept.exec()).containsExactly(12L);

            Transaction discarded = j.multi();
            discarded.set("c", "1");
            assertThat(discarded.discard()).isEqualTo("OK");
            assertThat(j.exists("c")).isFalse();
        }
    }

    /**
     * Another client's INCRs never land between an EXEC's: the replies of each EXEC's INCRs are
     * consecutive, and no INCR is lost. Bounded: 150 transactions, each of 1 to 8 INCRs.
     */
    @Test
    void anotherClientsIncrsNeverInterleaveWithAnExecs() throws Exception {
        long seed = 20_240_612L;
        System.out.println("anotherClientsIncrsNeverInterleaveWithAnExecs seed " + seed);
        Random random = new Random(seed);
        try (TestServer server = TestServer.start(dir)) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger outside = new AtomicInteger();
            List<Thread> incrementers = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                Thread th = new Thread(() -> {
                    try (Jedis j = new Jedis("127.0.0.1", server.port())) {
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                        while (!stop.get() && System.nanoTime() < deadline) {
                            j.incr("n");
                            outside.incrementAndGet();
                        }
                    }
                });
                th.start();
                incrementers.add(th);
            }
            int inside = 0;
            try (Jedis j = new Jedis("127.0.0.1", server.port())) {
                for (int tx = 0; tx < 150; tx++) {
                    int n = 1 + random.nextInt(8);
                    Transaction t = j.multi();
                    for (int i = 0; i < n; i++) {
                        t.incr("n");
                    }
                    List<Object> replies = t.exec();
                    for (int i = 1; i < n; i++) {
                        assertThat((Long) replies.get(i))
                                .as("transaction %d, INCR %d of %d: %s", tx, i, n, replies)
                                .isEqualTo((Long) replies.get(0) + i);
                    }
                    inside += n;
                }
            } finally {
                stop.set(true);
                for (Thread th : incrementers) {
                    th.join(TimeUnit.SECONDS.toMillis(70));
                }
            }
            assertThat(outside.get()).as("the other clients ran meanwhile").isPositive();
            try (Jedis j = new Jedis("127.0.0.1", server.port())) {
                assertThat(j.get("n")).isEqualTo(Long.toString(inside + outside.get()));
            }
        }
    }

    @Test
    void redisCliSession() throws Exception {
        RedisCliTest.requireTool("redis-cli", "redis-tools");
        try (TestServer server = TestServer.start(dir)) {
            String port = Integer.toString(server.port());
            String script = String.join(
                    "\n",
                    "MULTI",
                    "SET a 1",
                    "INCR a",
                    "INCR nonint",
                    "GET",
                    "EXEC",
                    "MULTI",
                    "SET s x",
                    "INCR s",
                    "INCR a",
                    "EXEC",
                    "DISCARD",
                    "");
            String out = RedisCliTest.run(script, "redis-cli", "-p", port);
            // As redis-cli prints a session with Redis 7 (an error line is followed by an empty one).
            assertThat(out.lines().toList())
                    .containsExactly(
                            "OK",
                            "QUEUED",
                            "QUEUED",
                            "QUEUED",
                            "ERR wrong number of arguments for 'get' command",
                            "",
                            "EXECABORT Transaction discarded because of previous errors.",
                            "",
                            "OK",
                            "QUEUED",
                            "QUEUED",
                            "QUEUED",
                            "OK",
                            "ERR value is not an integer or out of range",
                            "",
                            "1",
                            "ERR DISCARD without MULTI",
                            "");
        }
    }

    /**
     * redis-py's pipeline() is a MULTI/EXEC transaction by default. Skipped where redis-py is not
     * installed, except in CI (CI=true), whose .ci/run installs it: there its absence fails.
     */
    @Test
    void redisPyTransactionalPipeline() throws Exception {
        String python = requirePythonWithRedis();
        try (TestServer server = TestServer.start(dir)) {
            String out = runRedisPy(
                    python,
                    dir,
                    "tx.py",
                    server,
                    "import sys, redis",
                    "r = redis.Redis(host='127.0.0.1', port=int(sys.argv[1]))",
                    "p = r.pipeline()",
                    "p.set('a', 1).incr('a').get('a')",
                    "print(p.execute())",
                    "def bump(pipe):",
                    "    v = int(pipe.get('a'))",
                    "    pipe.multi()",
                    "    pipe.set('a', v * 10)",
                    "print(r.transaction(bump, 'a'))",
                    "print(r.get('a'))",
                    "");
            assertThat(out.lines().toList()).containsExactly("[True, 2, b'2']", "[True]", "b'20'");
        }
    }

    /**
     * redis-py's pipeline(transaction=False): the commands go in one write with no MULTI, each
     * answered on its own; with raise_on_error=False an error is that command's result and the
     * rest still run; with the default raise_on_error the first error is raised once all ran.
     */
    @Test
    void redisPyPipelineWithoutTransaction() throws Exception {
        String python = requirePythonWithRedis();
        try (TestServer server = TestServer.start(dir)) {
            String out = runRedisPy(
                    python,
                    dir,
                    "pipe.py",
                    server,
                    "import sys, redis",
                    "r = redis.Redis(host='127.0.0.1', port=int(sys.argv[1]))",
                    "p = r.pipeline(transaction=False)",
                    "p.set('a', 'x').incr('a').set('b', 1).incr('b').get('b')",
                    "res = p.execute(raise_on_error=False)",
                    "print([type(v).__name__ if isinstance(v, Exception) else v for v in res])",
                    "print(res[1])",
                    "with r.pipeline(transaction=False) as p:",
                    "    for i in range(1000):",
                    "        p.incr('n')",
                    "    print(p.execute()[-1])",
                    "p = r.pipeline(transaction=False)",
                    "p.set('c', 1).lpush('c', 2)",
                    "try:",
                    "    p.execute()",
                    "except redis.exceptions.ResponseError as e:",
                    "    print('raised', str(e).split(' ')[0])",
                    "print(r.get('c'))",
                    "");
            assertThat(out.lines().toList())
                    .containsExactly(
                            "[True, 'ResponseError', True, 2, b'2']",
                            "value is not an integer or out of range",
                            "1000",
                            "raised Command",
                            "b'1'");
        }
    }

    /** Runs the redis-py program {@code lines} with {@code python} against {@code server}; its output. */
    static String runRedisPy(String python, Path dir, String name, TestServer server, String... lines)
            throws Exception {
        Path script = dir.resolve(name);
        Files.writeString(script, String.join("\n", lines), StandardCharsets.UTF_8);
        return RedisCliTest.run(null, python, script.toString(), Integer.toString(server.port()));
    }

    /**
     * A python3 that imports redis (redis-py). Skips the test where there is none, except in CI
     * (CI=true), whose .ci/run installs it: there its absence fails.
     */
    static String requirePythonWithRedis() throws Exception {
        String python = pythonWithRedis();
        assertThat(python != null || !"true".equals(System.getenv("CI")))
                .as("CI runs without redis-py: .ci/run installs python3-redis")
                .isTrue();
        Assumptions.assumeTrue(python != null, "no python3 with redis-py (Debian: python3-redis)");
        return python;
    }

    /** A python3 on the PATH, or Debian's, that imports redis; null if none does. */
    private static String pythonWithRedis() throws Exception {
        List<String> candidates = new ArrayList<>();
        for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator, -1)) {
            candidates.add(new File(p, "python3").getPath());
        }
        candidates.add("/usr/bin/python3");
        for (String python : candidates) {
            if (!new File(python).canExecute()) {
                continue;
            }
            Process p = new ProcessBuilder(python, "-c", "import redis")
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().readAllBytes();
            if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return python;
            }
        }
        return null;
    }

    @Test
    void queuedCommandsAreCountedInTheCommandMetricsWhenExecRunsThem() throws Exception {
        try (TestServer server = MetricsTest.startWithMetrics(dir);
                Jedis j = new Jedis("127.0.0.1", server.port())) {
            Transaction t = j.multi();
            t.set("a", "1");
            t.incr("a");
            t.incr("a");
            t.set("s", "x");
            t.incr("s");
            t.exec();
            Map<String, Double> s = MetricsTest.samples(
                    MetricsTest.get(server.server.metricsPort(), "/metrics").body());
            assertThat(s).containsEntry("strata_commands_total{command=\"multi\"}", 1.0);
            assertThat(s).containsEntry("strata_commands_total{command=\"exec\"}", 1.0);
            assertThat(s).containsEntry("strata_commands_total{command=\"set\"}", 2.0);
            assertThat(s).containsEntry("strata_commands_total{command=\"incr\"}", 3.0);
            assertThat(s).containsEntry("strata_command_errors_total{command=\"incr\"}", 1.0);
            assertThat(s).containsEntry("strata_command_errors_total{command=\"exec\"}", 0.0);
        }
    }
}
