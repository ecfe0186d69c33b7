package io.strata.cluster;

import io.strata.server.ServerMain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;

/**
 * One cluster node as a child JVM (so a test can SIGKILL it): {@code ServerMain} with the node's
 * cluster options on loopback ports, its output in {@code <dir>.log}. Restartable with the same
 * directory and ports.
 */
final class NodeProcess {
    final String id;
    final int port;
    final int raftPort;
    final Path dir;
    private final Path logFile;
    private final List<String> extraArgs;
    private String peers;
    private Process process;

    NodeProcess(String id, int port, int raftPort, Path dir, List<String> extraArgs) {
        this.id = id;
        this.port = port;
        this.raftPort = raftPort;
        this.dir = dir;
        this.logFile = dir.resolveSibling(id + ".log");
        this.extraArgs = extraArgs;
    }

    String peer() {
        return id + "=127.0.0.1:" + raftPort;
    }

    void peers(String list) {
        this.peers = list;
    }

    void start() {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-Dlogback.configurationFile=" + NodeProcess.class.getResource("/logback-node-process.xml"),
                "-cp",
                System.getProperty("java.class.path"),
                ServerMain.class.getName(),
                "--dir",
                dir.toString(),
                "--port",
                Integer.toString(port),
                "--node-id",
                id,
                "--raft-port",
                Integer.toString(raftPort),
                "--peers",
                peers));
        cmd.addAll(extraArgs);
        try {
            Files.createDirectories(dir);
            process = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown of any kind. */
    void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitFor();
        }
    }

    /** SIGTERM: a clean shutdown. */
    void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            waitFor();
        }
    }

    private void waitFor() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Jedis jedis() {
        return new Jedis("127.0.0.1", port, 15_000);
    }

    /** The last lines of the node's log, for a failure message. */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    Path logFile() {
        return logFile;
    }
}
