package io.strata.cluster.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.cluster.TestCluster;
import io.strata.cluster.TestCluster.Node;
import io.strata.testkit.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Membership changes through the admin classes (what {@code strata cluster} runs) under a write
 * load on every node: a fourth node added catches up by snapshot and holds the leader's data; a
 * member removed; leadership moved to a chosen node; no acknowledged write lost on any node that
 * remains.
 */
class MembershipTest {
    private static final long SEED = 20_260_312L;
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 110, unit = TimeUnit.SECONDS)
    void addRemoveAndTransferUnderLoadLoseNoAcknowledgedWrite() throws Exception {
        System.out.println("MembershipTest seed " + SEED);
        try (TestCluster cluster = new TestCluster(dir)) {
            List<Node> group = cluster.startGroup(3);
            String peers = group.stream().map(Node::spec).collect(Collectors.joining(","));
            TestCluster.await(
                    "a leader elected",
                    () -> GroupSurvey.take(peers, TIMEOUT).leader().isPresent());

            try (BackgroundWriter writer = new BackgroundWriter(SEED, group, 50_000, 90_000)) {
                writer.start();
                // Enough entries that the leader has snapshotted and purged the log's start (the
                // number of writes that takes varies: writes proposed together share entries).
                TestCluster.await("the leader's log purged past a snapshot", () -> logStart(peers, group) > 0);
                Node leader = leaderNode(peers, group);
                assertThat(Long.parseLong(leader.clusterInfo().get("snapshots_taken")))
                        .isGreaterThanOrEqualTo(1);

                // Add n4, started with --join: it catches up by installing the leader's snapshot.
                int raftPort = FreePorts.next();
                Node n4 = cluster.start("n4", raftPort, "n4=127.0.0.1:" + raftPort, true, 0);
                String added = MembershipChange.add(peers, n4.spec(), TIMEOUT);
                assertThat(added).startsWith("added n4; members: ").contains(n4.spec());
                // Ratis counts it caught up once it holds the log; the installation may finish just after.
                TestCluster.await(
                        "n4's snapshot installation",
                        () -> Long.parseLong(n4.clusterInfo().get("snapshot_installs")) >= 1);
                writer.add(n4);
                List<Node> members = new ArrayList<>(group);
                members.add(n4);
                String allPeers = members.stream().map(Node::spec).collect(Collectors.joining(","));

                // The same data on n4 as on the leader, with the writer paused.
                int before = writer.writes();
                TestCluster.await("writes through n4 too", () -> writer.writes() >= before + 100);
                writer.pause();
                Node now = leaderNode(allPeers, members);
                assertThat(scan(n4)).isEqualTo(scan(now));
                writer.resume();

                // Remove a follower of the original three (not the leader: that is the failure tests' part).
                String leading = leaderNode(allPeers, members).id();
                Node removed = group.stream()
                        .filter(n -> !n.id().equals(leading))
                        .findFirst()
                        .orElseThrow();
                writer.remove(removed);
                members.remove(removed);
                String removedLine = MembershipChange.remove(allPeers, removed.id(), TIMEOUT);
                assertThat(removedLine).startsWith("removed " + removed.id()).doesNotContain(removed.spec());
                String remaining = members.stream().map(Node::spec).collect(Collectors.joining(","));
                NodeReport afterRemoval = GroupSurvey.take(remaining, TIMEOUT).requireLeader();
                assertThat(afterRemoval.configuration()).hasSize(3);

                // Move leadership to a chosen member: n4 unless it leads already, else the other one.
                Node chosen = !leaderNode(remaining, members).id().equals("n4")
                        ? n4
                        : members.stream()
                                .filter(n -> !n.id().equals("n4"))
                                .findFirst()
                                .orElseThrow();
                String moved = LeaderTransfer.to(remaining, chosen.id(), TIMEOUT);
                assertThat(moved).endsWith(" to " + chosen.id());
                TestCluster.await(
                        "the chosen node leads", () -> Objects.equals(leaderNode(remaining, members), chosen));

                int after = writer.writes();
                TestCluster.await("writes after the transfer", () -> writer.writes() >= after + 200);
                writer.close();

                System.out.printf(
                        "MembershipTest: %d writes acknowledged, %d failed (%d errors)%n",
                        writer.acknowledged.size(), writer.failed.size(), writer.errors.get());
                for (Node n : members) {
                    Map<String, String> data = scan(n);
                    assertThat(data).as("acknowledged writes on %s", n.id()).containsAllEntriesOf(writer.acknowledged);
                    for (Map.Entry<String, String> e : data.entrySet()) {
                        assertThat(e.getValue())
                                .as("%s on %s", e.getKey(), n.id())
                                .isEqualTo(writer.acknowledged.getOrDefault(e.getKey(), writer.failed.get(e.getKey())));
                    }
                }
                assertThat(scan(members.get(0))).isEqualTo(scan(members.get(1))).isEqualTo(scan(members.get(2)));
            }
        }
    }

    /** The running node that leads, as the group reports it (null while none does). */
    /** The leader's first log index (0 until a snapshot's purge), or -1 while there is no leader. */
    private static long logStart(String peers, List<Node> nodes) {
        Node leader = leaderNode(peers, nodes);
        return leader == null ? -1 : Long.parseLong(leader.clusterInfo().get("log_start_index"));
    }

    private static Node leaderNode(String peers, List<Node> nodes) {
        return GroupSurvey.take(peers, TIMEOUT)
                .leader()
                .flatMap(l -> nodes.stream().filter(n -> n.id().equals(l.id())).findFirst())
                .orElse(null);
    }

    /** Every key and value on the node: a full SCAN, then GETs (linearizable reads). */
    private static Map<String, String> scan(Node n) {
        Map<String, String> m = new HashMap<>();
        try (Jedis j = n.jedis()) {
            String cursor = ScanParams.SCAN_POINTER_START;
            for (int page = 0; page < 100_000; page++) {
                ScanResult<String> r = j.scan(cursor, new ScanParams().count(500));
                for (String key : r.getResult()) {
                    m.put(key, null);
                }
                cursor = r.getCursor();
                if (cursor.equals(ScanParams.SCAN_POINTER_START)) {
                    break;
                }
            }
            List<String> keys = new ArrayList<>(m.keySet());
            for (int i = 0; i < keys.size(); i += 500) {
                List<String> chunk = keys.subList(i, Math.min(keys.size(), i + 500));
                List<String> values = j.mget(chunk.toArray(new String[0]));
                for (int k = 0; k < chunk.size(); k++) {
                    m.put(chunk.get(k), values.get(k));
                }
            }
        }
        return m;
    }
}
