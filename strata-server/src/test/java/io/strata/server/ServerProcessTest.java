package io.strata.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

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
                    "-cp", System.getProperty("java.class.path"),
                    ServerCommand.class.getName(), "--dir", dir.resolve("db").toString(), "--port", "0"));
            cmd.addAll(List.of(extra));
            logFile = dir.resolve("server.log");
            process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
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
        try (TestServer server = TestServer.start(dir.resolve("db")); Jedis j = new Jedis("127.0.0.1", server.port())) {
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
        try (TestServer server = TestServer.start(dir.resolve("db")); Jedis j = new Jedis("127.0.0.1", server.port())) {
            for (String key : acknowledged) {
                assertThat(j.get(key)).as(key).isEqualTo("value-" + key.substring(key.indexOf(':') + 1));
            }
        }
    }
}
