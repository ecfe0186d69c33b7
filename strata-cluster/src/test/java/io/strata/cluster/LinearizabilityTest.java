package io.strata.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.testkit.linearizability.CheckResult;
import io.strata.testkit.linearizability.Command;
import io.strata.testkit.linearizability.History;
import io.strata.testkit.linearizability.LinearizabilityChecker;
import io.strata.testkit.linearizability.Op;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Concurrent clients doing GET, SET, INCR and DEL on a few keys, each through two nodes in turn,
 * while a nemesis SIGKILLs the leader and restarts it; the recorded history must be linearizable.
 * The same workload with READONLY (stale local) reads on the followers must not be: that shows the
 * checker catches a real violation here. With {@code --lease-reads} the leader answers reads under
 * its lease instead of a ReadIndex round; that history, under the same kills, must be
 * linearizable too.
 *
 * <p>CI runs {@value #DEFAULT_SECONDS} s of load per case; {@code -Dstrata.linearizability.seconds=N}
 * runs it for as long as asked, e.g. {@code mvn -pl strata-cluster -am test -Dtest=LinearizabilityTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dstrata.linearizability.seconds=600}.
 */
class LinearizabilityTest {
    static final int DEFAULT_SECONDS = 20;
    private static final String[] KEYS = {"a", "b", "c"};
    private static final int CLIENTS = 6;

    @TempDir
    Path dir;

    @Test
    void historyUnderLeaderKillsIsLinearizable() {
        long seed = Long.getLong("strata.linearizability.seed", 0x5EED1L);
        System.out.println("LinearizabilityTest seed " + seed);
        Run run = run(seed, false, seconds(), ProcessCluster.SMALL_LOG);
        assertThat(run.result.linearizable())
                .as(
                        "%s (history of %d ops, %d leader kills, checked in %d ms)",
                        run.result, run.history.size(), run.kills, run.checkMillis)
                .isTrue();
    }

    @Test
    void staleFollowerReadsAreCaught() {
        long seed = Long.getLong("strata.linearizability.seed", 0x5EED2L);
        System.out.println("LinearizabilityTest (stale reads) seed " + seed);
        Run run = run(seed, true, Math.min(seconds(), 15), ProcessCluster.SMALL_LOG);
        assertThat(run.result.timedOut()).as(run.result.toString()).isFalse();
        assertThat(run.result.linearizable())
                .as("READONLY follower reads in a history of %d ops should show a violation", run.history.size())
                .isFalse();
        System.out.println("caught, as expected: "
                + run.result.description().lines().findFirst().orElse(""));
    }

    @Test
    void historyWithLeaseReadsUnderLeaderKillsIsLinearizable() {
        long seed = Long.getLong("strata.linearizability.seed", 0x5EED3L);
        System.out.println("LinearizabilityTest (lease reads) seed " + seed);
        List<String> args = new ArrayList<>(ProcessCluster.SMALL_LOG);
        args.add("--lease-reads");
        Run run = run(seed, false, Math.min(seconds(), 12), args);
        assertThat(run.readMode).isEqualTo("lease");
        assertThat(run.result.linearizable())
                .as(
                        "%s (history of %d ops with lease reads, %d leader kills, checked in %d ms)",
                        run.result, run.history.size(), run.kills, run.checkMillis)
                .isTrue();
    }

    private static int seconds() {
        return Integer.getInteger("strata.linearizability.seconds", DEFAULT_SECONDS);
    }

    /** @param readMode what the leader's STRATA.CLUSTER INFO said of its read path at the start */
    private record Run(History history, CheckResult result, int kills, long checkMillis, String readMode) {}

    private Run run(long seed, boolean staleReads, int seconds, List<String> nodeArgs) {
        History history = new History();
        int kills = 0;
        String readMode;
        try (ProcessCluster c = new ProcessCluster(dir, 3, nodeArgs).start()) {
            readMode = readMode(c.awaitLeader(90_000));
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                int id = i;
                Random random = new Random(seed + i);
                Thread t = new Thread(() -> client(c, id, random, history, stop, staleReads), "client-" + i);
                t.start();
                clients.add(t);
            }
            long end = System.currentTimeMillis() + seconds * 1000L;
            while (System.currentTimeMillis() < end) {
                if (staleReads) {
                    ProcessCluster.sleep(500);
                    continue;
                }
                ProcessCluster.sleep(3000);
                NodeProcess leader = c.awaitLeader(60_000);
                leader.kill();
                kills++;
                ProcessCluster.sleep(2000);
                leader.start();
            }
            stop.set(true);
            for (Thread t : clients) {
                join(t);
            }
        }
        long t0 = System.nanoTime();
        CheckResult result = LinearizabilityChecker.check(history, Duration.ofSeconds(120));
        long checkMillis = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf(
                "history: %d ops from %d clients, %d leader kills, checked in %d ms: %s%n",
                history.size(), CLIENTS, kills, checkMillis, result.verdict());
        return new Run(history, result, kills, checkMillis, readMode);
    }

    private static String readMode(NodeProcess node) {
        try (Jedis j = node.jedis()) {
            byte[] info = (byte[]) j.sendCommand(() -> "STRATA.CLUSTER".getBytes(StandardCharsets.UTF_8), "INFO");
            return new String(info, StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> l.startsWith("read_mode:"))
                    .map(l -> l.substring("read_mode:".length()).strip())
                    .findFirst()
                    .orElse("(none)");
        }
    }

    /** One client: each op through one of its two nodes, chosen at random. */
    private static void client(
            ProcessCluster c, int id, Random random, History history, AtomicBoolean stop, boolean staleReads) {
        NodeProcess[] nodes = {c.nodes.get(id % 3), c.nodes.get((id + 1) % 3)};
        Jedis[] conns = new Jedis[2];
        int n = 0;
        while (!stop.get() && n < 200_000) {
            int which = random.nextInt(2);
            String key = KEYS[random.nextInt(KEYS.length)];
            int p = random.nextInt(100);
            Command cmd = p < 40
                    ? Command.get(key)
                    : p < 65 ? Command.set(key, "c" + id + "-" + n) : p < 85 ? Command.incr(key) : Command.del(key);
            n++;
            Jedis j;
            try {
                j = conns[which] != null ? conns[which] : connect(nodes[which], staleReads);
                conns[which] = j;
            } catch (RuntimeException e) {
                ProcessCluster.sleep(50);
                continue; // not invoked: nothing to record
            }
            Op op = history.invoke(id, cmd);
            try {
                switch (cmd.kind()) {
                    case GET -> op.ok(j.get(key));
                    case SET -> op.ok(j.set(key, cmd.value()));
                    case INCR -> op.ok(j.incr(key));
                    case DEL -> op.ok(j.del(key));
                }
            } catch (JedisDataException e) {
                String m = String.valueOf(e.getMessage());
                if (m.startsWith("TRYAGAIN") || m.startsWith("CLUSTERDOWN")) {
                    op.fail(); // refused before anything was written
                } else if (cmd.kind() == Command.Kind.INCR && m.startsWith("ERR value is not an integer")) {
                    op.error(m);
                } else {
                    op.unknown();
                }
            } catch (RuntimeException e) {
                op.unknown(); // the connection broke: the command may or may not have run
                conns[which].close();
                conns[which] = null;
                ProcessCluster.sleep(20);
            }
        }
        for (Jedis j : conns) {
            if (j != null) {
                j.close();
            }
        }
    }

    private static Jedis connect(NodeProcess node, boolean staleReads) {
        Jedis j = new Jedis("127.0.0.1", node.port, 5000);
        if (staleReads) {
            j.readonly();
        }
        return j;
    }

    private static void join(Thread t) {
        try {
            t.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
