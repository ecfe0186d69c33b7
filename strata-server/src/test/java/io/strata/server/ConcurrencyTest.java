package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

class ConcurrencyTest {
    @TempDir
    Path dir;

    @Test
    void concurrentIncrementsAreNeverLost() throws Exception {
        int clients = 8;
        int perClient = 2000;
        try (TestServer server = TestServer.start(dir)) {
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < clients; t++) {
                final int id = t;
                futures.add(pool.submit(() -> {
                    try (Jedis j = new Jedis("127.0.0.1", server.port())) {
                        for (int i = 0; i < perClient; i++) {
                            j.incr("counter");
                            j.incrBy("by3", 3);
                            j.append("log", "x");
                            if (i % 100 == 0) {
                                j.incrByFloat("float", 0.5);
                            }
                            if (id == 0 && i % 500 == 0) {
                                j.set("blind", "v"); // blind writes take the lock too
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(2, TimeUnit.MINUTES);
            }
            pool.shutdown();
            try (Jedis j = new Jedis("127.0.0.1", server.port())) {
                assertThat(j.get("counter")).isEqualTo(Integer.toString(clients * perClient));
                assertThat(j.get("by3")).isEqualTo(Integer.toString(3 * clients * perClient));
                assertThat(j.strlen("log")).isEqualTo((long) clients * perClient);
                assertThat(Double.parseDouble(j.get("float"))).isEqualTo(clients * (perClient / 100) * 0.5);
            }
        }
    }

    @Test
    void setnxHasExactlyOneWinner() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            for (int round = 0; round < 50; round++) {
                String key = "lock:" + round;
                List<Future<Long>> futures = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    futures.add(pool.submit(() -> {
                        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
                            return j.setnx(key, "owner");
                        }
                    }));
                }
                long winners = 0;
                for (Future<Long> f : futures) {
                    winners += f.get();
                }
                assertThat(winners).isEqualTo(1);
            }
            pool.shutdown();
        }
    }

    @Test
    void fullScanUnderConcurrentWritesReturnsEveryKeyThatExistedThroughout() throws Exception {
        try (TestServer server = TestServer.start(dir);
                Jedis setup = new Jedis("127.0.0.1", server.port())) {
            Set<String> stable = new HashSet<>();
            for (int i = 0; i < 2000; i++) {
                String k = String.format("s:%05d", i);
                setup.set(k, "v");
                stable.add(k);
            }
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                try (Jedis j = new Jedis("127.0.0.1", server.port())) {
                    int i = 0;
                    while (!stop.get()) {
                        j.set(String.format("s:%05d.new%d", i % 2000, i), "v");
                        j.del(String.format("s:%05d.new%d", (i + 1000) % 2000, i - 1000));
                        i++;
                    }
                }
            });
            writer.start();
            Set<String> seen = new HashSet<>();
            String cursor = "0";
            do {
                ScanResult<String> r = setup.scan(cursor, new ScanParams().count(50));
                seen.addAll(r.getResult());
                cursor = r.getCursor();
            } while (!cursor.equals("0"));
            stop.set(true);
            writer.join();
            assertThat(seen).containsAll(stable);
        }
    }
}
