package io.strata.cluster;

import io.strata.Options;
import io.strata.server.ServerConfig;
import io.strata.server.StrataServer;
import io.strata.server.replication.ClusterSettings;
import io.strata.testkit.FreePorts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.util.SafeEncoder;

/**
 * A cluster of nodes in this JVM (a StrataServer over a ClusterNode each, on loopback), for tests
 * that need to reach into a node: its clock, its engine's file system. Closing it stops them.
 */
final class LocalCluster implements AutoCloseable {
    /** One node: its settings, and the running server once started. */
    static final class Node {
        final String id;
        final int port;
        final int raftPort;
        final Path dir;
        LongSupplier clock = System::currentTimeMillis;
        UnaryOperator<Options> engine = UnaryOperator.identity();
        StrataServer server;
        ClusterNode cluster;

        /**
         * The state machine entries the node has applied (its Raft applied index also counts Ratis's
         * own entries: configuration, and the metadata entries that record the commit index).
         */
        long applied() {
            return cluster.stateMachine().entriesApplied.get();
        }

        /**
         * What {@link #applied} says once it has stayed the same for half a second (the new
         * leader's time entry is in).
         */
        long settled() {
            long deadline = System.currentTimeMillis() + 30_000;
            long seen = applied();
            long since = System.currentTimeMillis();
            while (System.currentTimeMillis() - since < 500) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("the leader's applied index did not settle in 30 s");
                }
                ProcessCluster.sleep(50);
                if (applied() != seen) {
                    seen = applied();
                    since = System.currentTimeMillis();
                }
            }
            return seen;
        }

        Node(String id, int port, int raftPort, Path dir) {
            this.id = id;
            this.port = port;
            this.raftPort = raftPort;
            this.dir = dir;
        }

        Jedis jedis() {
            return new Jedis("127.0.0.1", port, 15_000);
        }

        /** One field of STRATA.CLUSTER INFO, or null. */
        String info(String field) {
            String text;
            try (Jedis j = jedis()) {
                text = SafeEncoder.encode((byte[]) j.sendCommand(() -> SafeEncoder.encode("STRATA.CLUSTER"), "INFO"));
            }
            return text.lines()
                    .filter(l -> l.startsWith(field + ":"))
                    .map(l -> l.substring(field.length() + 1))
                    .findFirst()
                    .orElse(null);
        }
    }

    final List<Node> nodes = new ArrayList<>();
    private final long writeBufferSize;

    LocalCluster(Path root, int size, long writeBufferSize) {
        this.writeBufferSize = writeBufferSize;
        for (int i = 1; i <= size; i++) {
            nodes.add(new Node("n" + i, FreePorts.next(), FreePorts.next(), root.resolve("n" + i)));
        }
    }

    LocalCluster start() {
        String peers =
                nodes.stream().map(n -> n.id + "=127.0.0.1:" + n.raftPort).collect(Collectors.joining(","));
        for (Node n : nodes) {
            ServerConfig config = new ServerConfig()
                    .dir(n.dir)
                    .port(n.port)
                    .writeBufferSize(writeBufferSize)
                    .clock(n.clock)
                    .cluster(new ClusterSettings(
                            n.id,
                            n.raftPort,
                            peers,
                            200,
                            64 * 1024,
                            ClusterSettings.DEFAULT_ELECTION_TIMEOUT_MS,
                            ClusterSettings.DEFAULT_REQUEST_TIMEOUT_MS,
                            false,
                            false));
            n.cluster = new ClusterNode(config, n.engine);
            n.server = new StrataServer(config, n.cluster).start();
        }
        return this;
    }

    /** The leader every node agrees on, waiting up to {@code ms}. */
    Node awaitLeader(long ms) {
        long deadline = System.currentTimeMillis() + ms;
        while (System.currentTimeMillis() < deadline) {
            Node leader = null;
            boolean agreed = true;
            for (Node n : nodes) {
                if (n.server.isStopped()) {
                    continue;
                }
                var info = n.cluster.division().getInfo();
                if (info.isLeader()) {
                    leader = n;
                }
                if (info.getLeaderId() == null) {
                    agreed = false;
                }
            }
            if (leader != null && agreed) {
                return leader;
            }
            ProcessCluster.sleep(50);
        }
        throw new AssertionError("no leader within " + ms + " ms");
    }

    Node node(String id) {
        return nodes.stream().filter(n -> n.id.equals(id)).findFirst().orElseThrow();
    }

    List<Node> followers(Node leader) {
        return nodes.stream().filter(n -> n != leader).toList();
    }

    /** Waits until the node has applied at least {@code index}. */
    static void awaitApplied(Node n, long index, long ms) {
        long deadline = System.currentTimeMillis() + ms;
        while (n.cluster.stateMachine().getLastAppliedTermIndex() == null
                || n.cluster.stateMachine().getLastAppliedTermIndex().getIndex() < index) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(n.id + " did not apply index " + index + " within " + ms + " ms");
            }
            ProcessCluster.sleep(20);
        }
    }

    @Override
    public void close() {
        for (Node n : nodes) {
            if (n.server != null) {
                n.server.stop();
            }
        }
    }
}
