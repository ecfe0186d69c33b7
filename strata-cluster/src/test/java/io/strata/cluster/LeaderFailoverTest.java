package io.strata.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes as processes under a write load through all of them: SIGKILL the leader, a new
 * one is elected, every acknowledged write is on the survivors and, once it is back, on the
 * killed node. Prints the time from the kill to the first acknowledged write after it; with
 * {@code -Dstrata.failover.rounds=N} it kills N leaders in turn and prints the median.
 */
class LeaderFailoverTest {
    @TempDir
    Path dir;

    /** Kills per run: 1 in CI; {@code -Dstrata.failover.rounds=5} for a median of 5. */
    private static final int ROUNDS = Integer.getInteger("strata.failover.rounds", 1);

    @Test
    void killedLeaderLosesNoAcknowledgedWrite() {
        try (ProcessCluster c = new ProcessCluster(dir, 3, ProcessCluster.SMALL_LOG).start()) {
            List<Long> failoverMillis = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                NodeProcess leader = c.awaitLeader(90_000);
                long killedAt;
                WriteLoad load = new WriteLoad(c.nodes, 6, 100_000).start();
                try {
                    ProcessCluster.sleep(3000);
                    leader.kill();
                    killedAt = System.nanoTime(); // the process is gone: what is invoked now needs a new leader
                    NodeProcess next = c.awaitLeader(30_000);
                    assertThat(next.id).isNotEqualTo(leader.id);
                    ProcessCluster.sleep(3000);
                } finally {
                    load.close();
                }
                Long first = load.firstAckOfWriteInvokedAfter(killedAt);
                assertThat(first).as("a write acknowledged after the kill").isNotNull();
                failoverMillis.add(TimeUnit.NANOSECONDS.toMillis(first - killedAt));
                System.out.printf(
                        "round %d: leader %s killed: first acknowledged write %d ms later; %d writes acknowledged, "
                                + "%d failed%n",
                        round + 1, leader.id, failoverMillis.get(round), load.acked.size(), load.failures.get());

                c.awaitConverged(60_000);
                List<NodeProcess> survivors = new ArrayList<>(c.nodes);
                survivors.remove(leader);
                for (NodeProcess n : survivors) {
                    assertHolds(n, load.acked);
                }
                leader.start();
                c.awaitConverged(90_000);
                assertHolds(leader, load.acked);
                assertThat(ProcessCluster.scan(leader)).isEqualTo(ProcessCluster.scan(survivors.get(0)));
            }
            List<Long> sorted = failoverMillis.stream().sorted().toList();
            System.out.printf("failover times %s ms, median %d ms%n", failoverMillis, sorted.get(sorted.size() / 2));
        }
    }

    static void assertHolds(NodeProcess n, Map<String, String> acked) {
        Map<String, String> state = ProcessCluster.scan(n);
        for (Map.Entry<String, String> e : acked.entrySet()) {
            assertThat(state.get(e.getKey()))
                    .as("acknowledged write %s on node %s", e.getKey(), n.id)
                    .isEqualTo(e.getValue());
        }
    }
}
