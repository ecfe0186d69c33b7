package io.strata.cluster;

import io.strata.testkit.FreePorts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * A cluster of {@link NodeProcess}es on loopback, for tests that kill nodes. Closing it stops
 * every node that is still running.
 */
final class ProcessCluster implements AutoCloseable {
    final List<NodeProcess> nodes = new ArrayList<>();

    /** Settings for small logs and quick snapshots, so that tests reach purges and installs quickly. */
    static final List<String> SMALL_LOG = List.of("--snapshot-threshold", "200", "--raft-segment-size", "65536");

    ProcessCluster(Path root, int size, List<String> extraArgs) {
        for (int i = 1; i <= size; i++) {
            nodes.add(new NodeProcess("n" + i, FreePorts.next(), FreePorts.next(), root.resolve("n" + i), extraArgs));
        }
        String peers = nodes.stream().map(NodeProcess::peer).collect(Collectors.joining(","));
        nodes.forEach(n -> n.peers(peers));
    }

    ProcessCluster start() {
        nodes.forEach(NodeProcess::start);
        return this;
    }

    NodeProcess node(String id) {
        return nodes.stream().filter(n -> n.id.equals(id)).findFirst().orElseThrow();
    }

    /** The node that reports itself leader and that every other live node follows, waiting up to {@code ms}. */
    NodeProcess awaitLeader(long ms) {
        long deadline = System.currentTimeMillis() + ms;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            Map<String, String> leaders = new HashMap<>();
            NodeProcess leader = null;
            for (NodeProcess n : nodes) {
                if (!n.alive()) {
                    continue;
                }
                Map<String, String> info = replicationInfo(n);
                if (info == null) {
                    leaders.put(n.id, "?");
                    continue;
                }
                leaders.put(n.id, info.getOrDefault("leader_id", ""));
                if ("leader".equals(info.get("role"))) {
                    leader = n;
                }
            }
            last = leaders.toString();
            if (leader != null) {
                String id = leader.id;
                if (leaders.values().stream().allMatch(id::equals)) {
                    return leader;
                }
            }
            sleep(100);
        }
        throw new AssertionError("no leader agreed on within " + ms + " ms: " + last + "\n" + logs());
    }

    /** INFO replication as a map, or null if the node does not answer. */
    static Map<String, String> replicationInfo(NodeProcess n) {
        try (Jedis j = new Jedis("127.0.0.1", n.port, 2000)) {
            Map<String, String> m = new HashMap<>();
            for (String line : j.info("replication").lines().toList()) {
                int c = line.indexOf(':');
                if (c > 0) {
                    m.put(line.substring(0, c), line.substring(c + 1));
                }
            }
            return m;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Waits until every live node has applied at least what the leader has committed. */
    void awaitConverged(long ms) {
        long deadline = System.currentTimeMillis() + ms;
        while (System.currentTimeMillis() < deadline) {
            NodeProcess leader = awaitLeader(ms);
            Map<String, String> li = replicationInfo(leader);
            if (li != null) {
                long commit = Long.parseLong(li.get("commit_index"));
                boolean all = true;
                for (NodeProcess n : nodes) {
                    Map<String, String> info = n.alive() ? replicationInfo(n) : null;
                    if (n.alive() && (info == null || Long.parseLong(info.get("applied_index")) < commit)) {
                        all = false;
                    }
                }
                if (all) {
                    return;
                }
            }
            sleep(100);
        }
        throw new AssertionError("nodes did not converge within " + ms + " ms\n" + logs());
    }

    /** Every key and value of a node's local state (stale reads: READONLY), in key order. */
    static Map<String, String> scan(NodeProcess n) {
        Map<String, String> all = new java.util.TreeMap<>();
        try (Jedis j = n.jedis()) {
            j.readonly();
            String cursor = ScanParams.SCAN_POINTER_START;
            do {
                ScanResult<String> r = j.scan(cursor, new ScanParams().count(1000));
                List<String> keys = r.getResult();
                if (!keys.isEmpty()) {
                    List<String> values = j.mget(keys.toArray(new String[0]));
                    for (int i = 0; i < keys.size(); i++) {
                        all.put(keys.get(i), values.get(i));
                    }
                }
                cursor = r.getCursor();
            } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        }
        return all;
    }

    String logs() {
        StringBuilder sb = new StringBuilder();
        for (NodeProcess n : nodes) {
            sb.append("---- ")
                    .append(n.id)
                    .append(" (")
                    .append(n.logFile())
                    .append(")\n")
                    .append(n.logTail(40))
                    .append('\n');
        }
        return sb.toString();
    }

    @Override
    public void close() {
        nodes.forEach(NodeProcess::stop);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
