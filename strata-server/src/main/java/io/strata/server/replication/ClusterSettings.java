package io.strata.server.replication;

import java.util.Objects;

/**
 * The cluster settings of one node, as given on the command line or in the config file; the
 * cluster module parses and checks the peers.
 *
 * @param nodeId this node's id, one of the peers' ids
 * @param raftPort the port this node's Raft traffic uses (its own peer address's port)
 * @param peers the initial group, {@code id=host:port,...}, this node included
 * @param snapshotThreshold entries applied since the last snapshot after which a new one is taken
 * @param segmentSizeBytes the Raft log's segment size; closed segments up to a snapshot are purged
 * @param electionTimeoutMs the shortest election timeout (the longest is twice it)
 * @param requestTimeoutMs how long a write or a read barrier waits before it fails
 * @param leaseReads whether the leader serves reads under its lease, without a heartbeat round
 * @param join whether this node starts outside the group, waiting to be added (a new member)
 */
public record ClusterSettings(
        String nodeId,
        int raftPort,
        String peers,
        long snapshotThreshold,
        long segmentSizeBytes,
        int electionTimeoutMs,
        int requestTimeoutMs,
        boolean leaseReads,
        boolean join) {
    public static final long DEFAULT_SNAPSHOT_THRESHOLD = 100_000;
    public static final long DEFAULT_SEGMENT_SIZE = 32L * 1024 * 1024;
    /** Ratis's default (150 ms) is too tight for three nodes on a loaded 2-core machine. */
    public static final int DEFAULT_ELECTION_TIMEOUT_MS = 1000;

    public static final int DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

    public ClusterSettings {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(peers, "peers");
        if (raftPort < 1 || raftPort > 65535) {
            throw new IllegalArgumentException("--raft-port must be 1..65535, got " + raftPort);
        }
        if (snapshotThreshold < 1) {
            throw new IllegalArgumentException("--snapshot-threshold must be at least 1, got " + snapshotThreshold);
        }
        if (segmentSizeBytes < 1024) {
            throw new IllegalArgumentException("--raft-segment-size must be at least 1024, got " + segmentSizeBytes);
        }
        if (electionTimeoutMs < 50) {
            throw new IllegalArgumentException("--election-timeout must be at least 50 ms, got " + electionTimeoutMs);
        }
        if (requestTimeoutMs < 100) {
            throw new IllegalArgumentException(
                    "--cluster-request-timeout must be at least 100 ms, got " + requestTimeoutMs);
        }
    }
}
