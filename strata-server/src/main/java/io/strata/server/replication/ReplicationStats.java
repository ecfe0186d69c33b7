package io.strata.server.replication;

import java.util.List;
import java.util.Objects;

/**
 * One reading of a cluster node's replication figures, for the metrics endpoint. The counters
 * count since this process started.
 *
 * @param role {@code leader}, {@code follower}, {@code candidate}, {@code listener} or {@code starting}
 * @param term the current Raft term
 * @param commitIndex the highest log index this node knows to be committed; -1 before it knows one
 * @param appliedIndex the highest log index this node has applied to its engine; -1 before any
 * @param snapshotsTaken snapshots this node took
 * @param snapshotInstalls snapshots this node installed from a leader
 * @param leaderChanges leader changes this node saw
 * @param entriesApplied log entries applied to the engine
 * @param entriesRejected log entries refused when applied (evaluated in an earlier term)
 * @param healthy false once this node stopped applying the log ({@link Replication#failure})
 */
public record ReplicationStats(
        String role,
        long term,
        long commitIndex,
        long appliedIndex,
        long snapshotsTaken,
        long snapshotInstalls,
        long leaderChanges,
        long entriesApplied,
        long entriesRejected,
        boolean healthy) {
    /** Every value {@link #role} takes: the metrics endpoint has one series per role. */
    public static final List<String> ROLES = List.of("leader", "follower", "candidate", "listener", "starting");

    public ReplicationStats {
        Objects.requireNonNull(role, "role");
    }

    /** Committed entries this node has not applied yet. */
    public long applyLag() {
        return Math.max(0, commitIndex - appliedIndex);
    }
}
