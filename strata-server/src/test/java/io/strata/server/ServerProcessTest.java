package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

/** The real entry point in a child JVM: SIGTERM and kill -9. */
class ServerProcessTest {
    @TempDir
    Path dir;

    static final class Child {
        final Process process;
        final int port;
        final Path logFile;

        Child(Path dir, String... extra) throws Exception {
            List<String> cmd = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m",
                    "-Dlogback.configurationFile=" + ServerProcessTest.class.getResource("/logback-server-process.xml"),
                    "-cp",
                    System.getProperty("java.class.path"),
                    ServerMain.class.getName(),
                    "--dir",
                    dir.resolve("db").toString(),
                    "--port",
                    "0"));
            cmd.addAll(List.of(extra));
            logFile = dir.resolve("server.log");
            process = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .start();
            Pattern listening = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int found = -1;
            while (found < 0 && System.nanoTime() < deadline && process.isAlive()) {
                Matcher m = listening.matcher(log());
                if (m.find()) {
                    found = Integer.parseInt(m.group(1));
                } else {
                    Thread.sleep(50);
                }
            }
            assertThat(found).as(log()).isPositive();
            port = found;
        }

        String log() throws java.io.IOException {
            return java.nio.file.Files.exists(logFile) ? java.nio.file.Files.readString(logFile) : "";
        }
    }

    @Test
    void sigtermStopsGracefullyWithExitCodeZero() throws Exception {
        // a config file, overridden by --dir and --port on the command line
        Path config = dir.resolve("strata.conf");
        java.nio.file.Files.write(config, List.of("port 1", "dir /nonexistent/strata", "maxclients 7"));
        Child child = new Child(dir, "--config", config.toString());
        try (Jedis j = new Jedis("127.0.0.1", child.port)) {
            assertThat(j.configGet("maxclients")).containsEntry("maxclients", "7");
            j.set("k", "v");
            j.set("t", "v", SetParams.setParams().ex(500));
        }
        child.process.destroy(); // SIGTERM
        assertThat(child.process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.process.exitValue()).as(child.log()).isZero();
        assertThat(child.log())
                .contains("Strata server " + StrataServer.VERSION)
                .contains("data dir " + dir.resolve("db").toAbsolutePath().normalize())
                .contains("config file " + config.toAbsolutePath().normalize())
                .contains("Shutting down: SIGTERM received")
                .contains("Strata server stopped")
                .contains("last sequence 2");
        try (TestServer server = TestServer.start(dir.resolve("db"));
                Jedis j = new Jedis("127.0.0.1", server.port())) {
            assertThat(j.get("k")).isEqualTo("v");
            assertThat(j.ttl("t")).isPositive();
        }
    }

    @Test
    void killNineDuringASyncLoadLosesNoAcknowledgedWrite() throws Exception {
        Child child = new Child(dir, "--sync");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            final int id = t;
            Thread w = new Thread(() -> {
                try (Jedis j = new Jedis("127.0.0.1", child.port)) {
                    for (int i = 0; !stop.get(); i++) {
                        String key = "w" + id + ":" + i;
                        j.set(key, "value-" + i);
                        acknowledged.add(key);
                    }
                } catch (RuntimeException e) {
                    // the server died under us: expected
                }
            });
            w.start();
            writers.add(w);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (acknowledged.size() < 2000 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        child.process.destroyForcibly(); // SIGKILL
        child.process.waitFor(30, TimeUnit.SECONDS);
        stop.set(true);
        for (Thread w : writers) {
            w.join();
        }
        assertThat(acknowledged).hasSizeGreaterThan(100);
        try (TestServer server = TestServer.start(dir.resolve("db"));
                Jedis j = new Jedis("127.0.0.1", server.port())) {
            for (String key : acknowledged) {
                assertThat(j.get(key)).as(key).isEqualTo("value-" + key.substring(key.indexOf(':') + 1));
            }
        }
    }

    /**
     * redis-benchmark SETs through a {@link RecordingProxy} (which learns which SETs were
     * acknowledged) to a --sync server that is killed with SIGKILL under the load. After a
     * restart every acknowledged key must be there, holding the value of its latest acknowledged
     * SET or of a SET that may have come after it (sent before that one was answered, or never
     * answered). The values are random numbers, so an older value shows.
     */
    @Test
    void killNineDuringARedisBenchmarkSetLoadLosesNoAcknowledgedSet() throws Exception {
        RedisCliTest.requireTool("redis-benchmark", "redis-tools");
        Child child = new Child(dir, "--sync");
        RecordingProxy proxy = new RecordingProxy(child.port);
        Process bench = new ProcessBuilder(
                        "redis-benchmark",
                        "-p",
                        Integer.toString(proxy.port()),
                        "-c",
                        "50",
                        "-P",
                        "16",
                        "-n",
                        "100000000",
                        "-r",
                        "5000",
                        "SET",
                        "key:__rand_int__",
                        "__rand_int__")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("bench.log").toFile())
                .start();
        try {
            Thread.sleep(4000);
            assertThat(bench.isAlive()).as("redis-benchmark still loading").isTrue();
            child.process.destroyForcibly(); // SIGKILL
            assertThat(child.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            proxy.close();
            bench.destroyForcibly();
            bench.waitFor(30, TimeUnit.SECONDS);
        }

        // Per key: the latest send stamp of an acknowledged SET, and every SET's (value, answer stamp).
        Map<String, Long> lastAckedSend = new HashMap<>();
        Map<String, List<RecordingProxy.Sent>> sets = new HashMap<>();
        long acked = 0;
        long sent = 0;
        for (RecordingProxy.Connection c : proxy.connections()) {
            for (RecordingProxy.Sent s : c.sent) {
                if (!new String(s.argv[0], StandardCharsets.UTF_8).equalsIgnoreCase("SET")) {
                    continue;
                }
                sent++;
                String key = new String(s.argv[1], StandardCharsets.UTF_8);
                sets.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
                if (s.answeredOk()) {
                    acked++;
                    lastAckedSend.merge(key, s.sentAt, Math::max);
                }
            }
        }
        System.out.printf(
                "redis-benchmark through the proxy: %d SETs sent, %d acknowledged, %d keys acknowledged%n",
                sent, acked, lastAckedSend.size());
        assertThat(acked).as("acknowledged SETs").isGreaterThan(5000);
        assertThat(sent).as("some SETs were in flight at the kill").isGreaterThan(acked);

        try (TestServer server = TestServer.start(dir.resolve("db"));
                Jedis j = new Jedis("127.0.0.1", server.port())) {
            List<String> keys = new ArrayList<>(lastAckedSend.keySet());
            for (int from = 0; from < keys.size(); from += 1000) {
                List<String> batch = keys.subList(from, Math.min(keys.size(), from + 1000));
                List<String> values = j.mget(batch.toArray(new String[0]));
                for (int i = 0; i < batch.size(); i++) {
                    String key = batch.get(i);
                    long since = lastAckedSend.get(key);
                    // a SET answered after the latest acknowledged one was sent may be later than it
                    List<String> allowed = sets.get(key).stream()
                            .filter(s -> s.answeredAt > since)
                            .map(s -> new String(s.argv[2], StandardCharsets.UTF_8))
                            .toList();
                    assertThat(values.get(i)).as(key).isNotNull().isIn(allowed);
                }
            }
        }
    }
}
