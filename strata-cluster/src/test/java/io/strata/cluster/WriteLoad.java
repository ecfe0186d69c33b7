package io.strata.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.Jedis;

/**
 * Writers spread over a cluster's nodes, each writing keys of its own ({@code w:<writer>:<n>} =
 * {@code n}) through one node, until stopped or until {@code maxWrites} each. Records what was
 * acknowledged and when, so a test can check that nothing acknowledged was lost. A failed write
 * is retried under the next number (its outcome may be unknown: it is not counted either way).
 */
final class WriteLoad implements AutoCloseable {
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    /** Acknowledged key → value. */
    final Map<String, String> acked = new ConcurrentHashMap<>();
    /** Each acknowledged write's invocation nanos → its acknowledgement nanos, to find the first after a kill. */
    private final ConcurrentSkipListMap<Long, Long> acks = new ConcurrentSkipListMap<>();

    final AtomicLong failures = new AtomicLong();

    WriteLoad(List<NodeProcess> nodes, int writers, int maxWrites) {
        for (int w = 0; w < writers; w++) {
            NodeProcess node = nodes.get(w % nodes.size());
            int writer = w;
            Thread t = new Thread(() -> run(node, writer, maxWrites), "writer-" + w);
            t.setDaemon(true);
            threads.add(t);
        }
    }

    WriteLoad start() {
        threads.forEach(Thread::start);
        return this;
    }

    private void run(NodeProcess node, int writer, int maxWrites) {
        Jedis j = null;
        for (int n = 0; n < maxWrites && !stop.get(); n++) {
            String key = "w:" + writer + ":" + n;
            try {
                if (j == null) {
                    j = new Jedis("127.0.0.1", node.port, 5000);
                }
                String value = Integer.toString(n);
                long invoked = System.nanoTime();
                if ("OK".equals(j.set(key, value))) {
                    acked.put(key, value);
                    acks.put(invoked, System.nanoTime());
                }
            } catch (RuntimeException e) {
                failures.incrementAndGet();
                if (j != null) {
                    j.close();
                    j = null;
                }
                ProcessCluster.sleep(50);
            }
        }
        if (j != null) {
            j.close();
        }
    }

    /**
     * The earliest acknowledgement of a write invoked after {@code nanos}, or null: a write already
     * under way when a leader is killed may still be acknowledged (it was committed), which says
     * nothing about how long the group took to serve again.
     */
    Long firstAckOfWriteInvokedAfter(long nanos) {
        return acks.tailMap(nanos).values().stream().min(Long::compare).orElse(null);
    }

    /** Waits for every writer to finish its writes. */
    WriteLoad finish() {
        join();
        return this;
    }

    @Override
    public void close() {
        stop.set(true);
        join();
    }

    private void join() {
        for (Thread t : threads) {
            try {
                t.join(120_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
