package io.strata.cluster.admin;

import io.strata.cluster.TestCluster;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * One thread writing fresh keys ({@code w:<seq>}, random values from a fixed seed) through a
 * node picked at random from the current targets, one SET at a time. A SET answered OK is
 * acknowledged and must survive; one that failed (TRYAGAIN, TIMEOUT, a dropped connection) may
 * or may not have been applied, and if it was, with the value it wrote. Bounded in count and time.
 */
final class BackgroundWriter implements AutoCloseable {
    private final Random random;
    private final List<TestCluster.Node> targets = new CopyOnWriteArrayList<>();
    /** Acknowledged and failed writes, key → value; written by the writer thread, read after it stopped or live. */
    final Map<String, String> acknowledged = new ConcurrentHashMap<>();

    final Map<String, String> failed = new ConcurrentHashMap<>();
    final AtomicInteger errors = new AtomicInteger();
    private final AtomicBoolean paused = new AtomicBoolean();
    /** True while a write is under way: set before the writer re-checks {@link #paused}, so pause() can wait. */
    private final AtomicBoolean inFlight = new AtomicBoolean();

    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;
    private final int maxWrites;
    private final long deadlineNanos;

    BackgroundWriter(long seed, List<TestCluster.Node> initial, int maxWrites, long maxMillis) {
        this.random = new Random(seed);
        this.targets.addAll(initial);
        this.maxWrites = maxWrites;
        this.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
        this.thread = new Thread(this::run, "background-writer");
    }

    void start() {
        thread.start();
    }

    void add(TestCluster.Node n) {
        targets.add(n);
    }

    void remove(TestCluster.Node n) {
        targets.remove(n);
    }

    /** Stops writing after the write under way; returns once it has ended. */
    void pause() throws InterruptedException {
        paused.set(true);
        long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (inFlight.get() && System.nanoTime() < limit) {
            Thread.sleep(5);
        }
    }

    void resume() {
        paused.set(false);
    }

    int writes() {
        return acknowledged.size() + failed.size();
    }

    private void run() {
        Map<TestCluster.Node, Jedis> clients = new HashMap<>();
        try {
            for (int seq = 0; seq < maxWrites && !stop.get() && System.nanoTime() < deadlineNanos; ) {
                if (paused.get()) {
                    sleep(5);
                    continue;
                }
                inFlight.set(true);
                try {
                    if (paused.get()) {
                        continue;
                    }
                    List<TestCluster.Node> now = List.copyOf(targets);
                    TestCluster.Node n = now.get(random.nextInt(now.size()));
                    String key = "w:" + seq++;
                    String value = Long.toHexString(random.nextLong()) + "-" + "x".repeat(random.nextInt(200));
                    try {
                        Jedis j = clients.computeIfAbsent(n, TestCluster.Node::jedis);
                        if ("OK".equals(j.set(key, value))) {
                            acknowledged.put(key, value);
                        } else {
                            failed.put(key, value);
                        }
                    } catch (JedisException e) {
                        failed.put(key, value);
                        errors.incrementAndGet();
                        Jedis broken = clients.remove(n);
                        if (broken != null) {
                            broken.close();
                        }
                    }
                } finally {
                    inFlight.set(false);
                }
            }
        } finally {
            clients.values().forEach(Jedis::close);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join(60_000);
    }
}
