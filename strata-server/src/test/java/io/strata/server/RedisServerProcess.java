package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * A redis-server (Debian's, which .ci/run installs) on a free loopback port, with no snapshots and
 * no AOF, over a test directory: the reference that tests compare Strata with. Closing stops it.
 */
final class RedisServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;

    private RedisServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static RedisServerProcess start(Path dir) throws IOException, InterruptedException {
        RedisCliTest.requireTool("redis-server", "redis-server");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder(
                        "redis-server",
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--dir",
                        dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(new File(dir.toFile(), "redis.log"))
                .start();
        RedisServerProcess redis = new RedisServerProcess(p, port);
        redis.connect().close();
        return redis;
    }

    int port() {
        return port;
    }

    /** A Jedis connected to it, waiting up to 20 s for the server to answer. */
    Jedis connect() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            Jedis jedis = new Jedis("127.0.0.1", port);
            try {
                jedis.ping();
                return jedis;
            } catch (JedisConnectionException e) {
                jedis.close();
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("redis-server did not answer on port " + port, e);
                }
                Thread.sleep(50);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
}
