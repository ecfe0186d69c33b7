package io.strata.cluster;

import io.strata.server.RaftTlsFiles;
import io.strata.server.ServerConfig;
import io.strata.server.StrataServer;
import io.strata.server.replication.ClusterSettings;
import io.strata.testkit.FreePorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.commands.ProtocolCommand;
import redis.clients.jedis.util.SafeEncoder;

/**
 * Cluster nodes in this JVM on loopback, built as ServerMain builds them: a StrataServer over a
 * ClusterNode. Small snapshot thresholds and log segments, so that a node added or behind
 * catches up by snapshot. Closing stops every node still running.
 */
public final class TestCluster implements AutoCloseable {
    public static final long SNAPSHOT_THRESHOLD = 64;
    public static final long SEGMENT_SIZE = 16 * 1024;
    private static final ProtocolCommand STRATA_CLUSTER = () -> SafeEncoder.encode("STRATA.CLUSTER");

    private final Path root;
    /** The nodes running; guarded by its own monitor (a test thread starts and stops them). */
    private final List<Node> nodes = new ArrayList<>();

    /** A running node: its id, Raft address and server (whose RESP port the OS chose). */
    public record Node(String id, int raftPort, StrataServer server) {
        public String address() {
            return "127.0.0.1:" + raftPort;
        }

        public String spec() {
            return id + "=" + address();
        }

        public int port() {
            return server.port();
        }

        public Jedis jedis() {
            return new Jedis("127.0.0.1", port(), 20_000);
        }

        /** STRATA.CLUSTER INFO as name → value. */
        public Map<String, String> clusterInfo() {
            try (Jedis j = jedis()) {
                String text = new String((byte[]) j.sendCommand(STRATA_CLUSTER, "INFO"), StandardCharsets.UTF_8);
                Map<String, String> m = new LinkedHashMap<>();
                for (String line : text.split("\r\n", -1)) {
                    int colon = line.indexOf(':');
                    if (colon > 0) {
                        m.put(line.substring(0, colon), line.substring(colon + 1));
                    }
                }
                return m;
            }
        }
    }

    public TestCluster(Path root) {
        this.root = root;
    }

    /** Waits up to 45 s for {@code condition}, checking every 50 ms; then fails naming {@code what}. */
    public static void await(String what, BooleanSupplier condition) throws InterruptedException {
        await(what, 45, condition);
    }

    /** Waits up to {@code seconds} for {@code condition}, checking every 50 ms; then fails naming {@code what}. */
    public static void await(String what, long seconds, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** Starts {@code count} nodes n1..n{count} forming one group. */
    public List<Node> startGroup(int count) {
        return startGroup(count, id -> null);
    }

    /** The same, each node's Raft traffic over mutual TLS with {@code tls.apply(id)} (null: plaintext). */
    public List<Node> startGroup(int count, Function<String, RaftTlsFiles> tls) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (int i = 1; i <= count; i++) {
            ports.put("n" + i, FreePorts.next());
        }
        String peers = ports.entrySet().stream()
                .map(e -> e.getKey() + "=127.0.0.1:" + e.getValue())
                .collect(Collectors.joining(","));
        List<Node> started = new ArrayList<>();
        for (Map.Entry<String, Integer> e : ports.entrySet()) {
            started.add(start(e.getKey(), e.getValue(), peers, false, 0, tls.apply(e.getKey())));
        }
        return started;
    }

    /** Starts node {@code id} with Raft on {@code raftPort}; {@code join}: outside the group, to be added. */
    public Node start(String id, int raftPort, String peers, boolean join, int metricsPort) {
        return start(id, raftPort, peers, join, metricsPort, null);
    }

    /** The same, its Raft traffic over mutual TLS with {@code tls} (null: plaintext). */
    public Node start(String id, int raftPort, String peers, boolean join, int metricsPort, RaftTlsFiles tls) {
        ClusterSettings settings = new ClusterSettings(
                id,
                raftPort,
                peers,
                SNAPSHOT_THRESHOLD,
                SEGMENT_SIZE,
                ClusterSettings.DEFAULT_ELECTION_TIMEOUT_MS,
                ClusterSettings.DEFAULT_REQUEST_TIMEOUT_MS,
                false,
                join);
        ServerConfig config = new ServerConfig()
                .dir(root.resolve(id))
                .bind("127.0.0.1")
                .port(0)
                .metricsPort(metricsPort)
                .raftTls(tls)
                .cluster(settings);
        Node n = new Node(id, raftPort, new StrataServer(config, new ClusterNode(config)).start());
        synchronized (nodes) {
            nodes.add(n);
        }
        return n;
    }

    /** Stops one node (it leaves no process state behind but its directory). */
    public void stop(Node n) {
        n.server().stop();
        synchronized (nodes) {
            nodes.remove(n);
        }
    }

    @Override
    public void close() {
        List<Node> running;
        synchronized (nodes) {
            running = List.copyOf(nodes);
            nodes.clear();
        }
        for (Node n : running) {
            n.server().stop();
        }
    }
}
