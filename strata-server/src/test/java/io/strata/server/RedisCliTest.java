package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * redis-cli and redis-benchmark (Debian's redis-tools) against the server. CI installs them
 * (.ci/run); where they are missing these tests are skipped with a message saying so.
 */
class RedisCliTest {
    @TempDir
    Path dir;

    /**
     * Fails (never skips) when an external tool the tests need is missing: a skipped test would
     * hide a missing install step in {@code .ci/run}, which installs these.
     */
    static void requireTool(String tool, String debianPackage) {
        for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator, -1)) {
            if (new File(p, tool).canExecute()) {
                return;
            }
        }
        throw new AssertionError(
                tool + " is not installed (apt-get install " + debianPackage + "); .ci/run installs it");
    }

    @BeforeAll
    static void requireRedisCli() {
        requireTool("redis-cli", "redis-tools");
    }

    static String run(String input, String... command) throws Exception {
        return runExpecting(0, input, command);
    }

    /** Runs {@code command} (stdin {@code input}, or none), which must exit with {@code exit}; returns its output. */
    static String runExpecting(int exit, String input, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        Process p = pb.start();
        if (input != null) {
            p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(exit);
        return out;
    }

    @Test
    void pingAndAScriptedSession() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            String port = Integer.toString(server.port());
            assertThat(run(null, "redis-cli", "-p", port, "ping").trim()).isEqualTo("PONG");
            String script = String.join(
                            "\n",
                            "SET greeting hello",
                            "APPEND greeting \" world\"",
                            "GET greeting",
                            "INCRBY n 5",
                            "SET t v EX 100",
                            "TTL t",
                            "MGET greeting nope",
                            "DBSIZE",
                            "SELECT 1",
                            "")
                    + "\n";
            String out = run(script, "redis-cli", "-p", port);
            assertThat(out.lines().toList().subList(0, 10))
                    .containsExactly(
                            "OK",
                            "11",
                            "hello world",
                            "5",
                            "OK",
                            "100",
                            "hello world",
                            "",
                            "3",
                            "ERR DB index is out of range");
            assertThat(run(null, "redis-cli", "-p", port, "--scan", "--pattern", "g*")
                            .trim())
                    .isEqualTo("greeting");
            assertThat(run(null, "redis-cli", "-3", "-p", port, "config", "get", "databases"))
                    .contains("databases")
                    .contains("1");
            assertThat(run(null, "redis-cli", "-p", port, "info", "server")).contains("redis_version:7.2.0");
        }
    }

    /**
     * redis-cli --scan parses the cursor with strtoull: every cursor must fit 64 bits, which keys
     * of 20+ bytes (table cursors) and of up to 7 bytes (direct cursors) both do.
     */
    @Test
    void scanWithRedisCliOverLongKeys() throws Exception {
        try (TestServer server = TestServer.start(dir);
                Jedis j = new Jedis("127.0.0.1", server.port())) {
            List<String> profiles = new ArrayList<>();
            List<String> all = new ArrayList<>();
            Pipeline p = j.pipelined();
            for (int i = 0; i < 3000; i++) {
                String profile = String.format("user:%06d:profile:name", i);
                String session = String.format("session:%06d:token:abcdef", i);
                p.set(profile, "v");
                p.set(session, "v");
                profiles.add(profile);
                all.add(profile);
                all.add(session);
                if (i % 100 == 0) {
                    String shortKey = "s" + i; // direct cursors mixed in
                    p.set(shortKey, "v");
                    all.add(shortKey);
                }
            }
            p.sync();
            String port = Integer.toString(server.port());
            List<String> scanned =
                    run(null, "redis-cli", "-p", port, "--scan").lines().toList();
            assertThat(scanned).hasSize(all.size()).containsExactlyInAnyOrderElementsOf(all);
            List<String> matched = run(null, "redis-cli", "-p", port, "--scan", "--pattern", "user:*:name")
                    .lines()
                    .toList();
            assertThat(matched).hasSize(profiles.size()).containsExactlyInAnyOrderElementsOf(profiles);
            // a 64-bit cursor this server never issued
            assertThat(run(null, "redis-cli", "-p", port, "scan", Long.toString((1L << 62) + 7))
                            .trim())
                    .isEqualTo("ERR invalid cursor");
        }
    }

    @Test
    void passwordWithRedisCli() throws Exception {
        try (TestServer server = TestServer.start(dir, c -> c.requirePass("pw"))) {
            String port = Integer.toString(server.port());
            assertThat(run(null, "redis-cli", "-p", port, "get", "x").trim()).startsWith("NOAUTH");
            assertThat(run(null, "redis-cli", "--no-auth-warning", "-a", "pw", "-p", port, "set", "x", "1")
                            .trim())
                    .isEqualTo("OK");
        }
    }

    @Test
    void redisBenchmarkCompletesWithoutErrors() throws Exception {
        requireTool("redis-benchmark", "redis-tools");
        try (TestServer server = TestServer.start(dir)) {
            List<String> cmd = new ArrayList<>(List.of(
                    "redis-benchmark",
                    "-p",
                    Integer.toString(server.port()),
                    "-t",
                    "set,get,incr,mset",
                    "-n",
                    "20000",
                    "-P",
                    "16",
                    "-c",
                    "20",
                    "-q"));
            String out = run(null, cmd.toArray(new String[0]));
            assertThat(out).doesNotContainIgnoringCase("error");
            assertThat(out).contains("SET:", "GET:", "INCR:", "MSET");
            try (var c = server.raw()) {
                c.command("GET", "counter:__rand_int__");
                assertThat(c.reply()).isEqualTo("$5\r\n20000\r\n"); // every INCR counted
            }
        }
    }

    /** Some keys of different sizes for --bigkeys and --memkeys: the largest is {@code big}. */
    private static void someKeys(TestServer server) throws Exception {
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            Pipeline p = j.pipelined();
            for (int i = 0; i < 200; i++) {
                p.set("k" + i, "v".repeat(i % 50));
            }
            p.set("big", "x".repeat(10_000));
            p.sync();
        }
    }

    /** redis-cli --bigkeys: SCAN, TYPE and STRLEN over every key; it must finish and name the largest string. */
    @Test
    void bigkeysFindsTheLargestString() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            someKeys(server);
            String out = run(null, "redis-cli", "-p", Integer.toString(server.port()), "--bigkeys");
            // the values' bytes: 4 x (0 + 1 + ... + 49) and the 10000 of big, as redis-server counts them
            assertThat(out).contains("Sampled 201 keys in the keyspace!");
            assertThat(out).contains("Biggest string found '\"big\"' has 10000 bytes");
            assertThat(out).contains("201 strings with 14900 bytes");
        }
    }

    /**
     * redis-cli --memkeys: SCAN, TYPE and MEMORY USAGE over every key; it must finish and name the
     * key taking the most memory.
     */
    @Test
    void memkeysFindsTheLargestKey() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            someKeys(server);
            String out = run(null, "redis-cli", "-p", Integer.toString(server.port()), "--memkeys");
            assertThat(out).containsPattern("Biggest string found '\"big\"' has 100[0-9]{2} bytes");
            assertThat(out).contains("201 strings with");
        }
    }

    /**
     * redis-cli --stat reads INFO every interval (keys, used memory, clients, blocked, requests,
     * connections) and prints a line each time; it never ends by itself, so it runs about two
     * seconds and is stopped (under stdbuf: its output to a pipe is otherwise buffered and lost).
     */
    @Test
    void statPrintsALinePerInterval() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            someKeys(server);
            Process p = new ProcessBuilder(
                            "stdbuf", "-oL", "redis-cli", "-p", Integer.toString(server.port()), "--stat", "-i", "0.2")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stat.txt").toFile())
                    .start();
            p.getOutputStream().close();
            try {
                assertThat(p.waitFor(2, TimeUnit.SECONDS))
                        .as("redis-cli --stat exited early")
                        .isFalse();
            } finally {
                p.destroy();
                assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            }
            List<String> lines = java.nio.file.Files.readAllLines(dir.resolve("stat.txt"));
            assertThat(lines.get(1)).contains("keys", "mem", "clients", "blocked", "requests", "connections");
            // a data line: 201 keys, then memory, 1 client, 0 blocked
            assertThat(lines.subList(2, lines.size()))
                    .anySatisfy(l -> assertThat(l).matches("201\\s+\\S+\\s+1\\s+0\\s+.*"));
        }
    }
}
