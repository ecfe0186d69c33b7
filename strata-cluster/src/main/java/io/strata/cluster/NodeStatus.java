package io.strata.cluster;

import io.strata.server.replication.ReplicationStats;
import java.util.stream.Collectors;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.statemachine.SnapshotInfo;

/**
 * What a node reports of its group: INFO's replication section (Redis's {@code name:value}
 * lines; {@code role} is {@code leader}, {@code follower}, {@code candidate} or
 * {@code listener}) and STRATA.CLUSTER INFO's detail. One reading of the node's state.
 */
record NodeStatus(
        String nodeId,
        String role,
        String leaderId,
        long term,
        long commitIndex,
        long appliedIndex,
        long snapshotIndex,
        long logStartIndex,
        String peers,
        String health,
        long snapshotsTaken,
        long snapshotInstalls,
        long leaderChanges,
        long entriesApplied,
        long entriesRejected,
        long publishedLost,
        boolean leaseReads,
        String raftTls) {

    static NodeStatus of(ClusterNode node) {
        RaftServer.Division d = node.division();
        StoreStateMachine sm = node.stateMachine();
        String failure = node.failure();
        String health = failure == null ? "ok" : "failed: " + failure;
        if (d == null) {
            return new NodeStatus(
                    node.self().toString(),
                    "starting",
                    "",
                    0,
                    -1,
                    -1,
                    -1,
                    -1,
                    "",
                    health,
                    0,
                    0,
                    0,
                    0,
                    0,
                    node.publishedLost(),
                    node.leaseReads(),
                    node.raftTls());
        }
        DivisionInfo info = d.getInfo();
        RaftPeerId leader = info.getLeaderId();
        TermIndex applied = sm.getLastAppliedTermIndex();
        SnapshotInfo snap = sm.getLatestSnapshot();
        String peers = d.getRaftConf().getCurrentPeers().stream()
                .map(RaftPeer::toString)
                .sorted()
                .collect(Collectors.joining(","));
        return new NodeStatus(
                node.self().toString(),
                ClusterNode.role(info),
                leader == null ? "" : leader.toString(),
                info.getCurrentTerm(),
                d.getRaftLog().getLastCommittedIndex(),
                applied == null ? -1 : applied.getIndex(),
                snap == null ? -1 : snap.getIndex(),
                d.getRaftLog().getStartIndex(),
                peers,
                health,
                sm.snapshotsTaken.get(),
                sm.snapshotInstalls.get(),
                sm.leaderChanges.get(),
                sm.entriesApplied.get(),
                sm.entriesRejected.get(),
                node.publishedLost(),
                node.leaseReads(),
                node.raftTls());
    }

    String info() {
        StringBuilder sb = new StringBuilder();
        line(sb, "role", role);
        line(sb, "node_id", nodeId);
        line(sb, "leader_id", leaderId);
        line(sb, "raft_term", term);
        line(sb, "commit_index", commitIndex);
        line(sb, "applied_index", appliedIndex);
        line(sb, "apply_lag", Math.max(0, commitIndex - appliedIndex));
        line(sb, "master_repl_offset", Math.max(0, appliedIndex));
        line(sb, "peers", peers);
        line(sb, "cluster_health", health.startsWith("ok") ? "ok" : "failed");
        line(sb, "raft_tls", raftTls);
        return sb.toString();
    }

    ReplicationStats stats() {
        return new ReplicationStats(
                role,
                term,
                commitIndex,
                appliedIndex,
                snapshotsTaken,
                snapshotInstalls,
                leaderChanges,
                entriesApplied,
                entriesRejected,
                health.startsWith("ok"));
    }

    String detail() {
        StringBuilder sb = new StringBuilder(info());
        line(sb, "cluster_failure", health.startsWith("ok") ? "" : health.substring("failed: ".length()));
        line(sb, "read_mode", leaseReads ? "lease" : "read_index");
        line(sb, "snapshot_index", snapshotIndex);
        line(sb, "log_start_index", logStartIndex);
        line(sb, "snapshots_taken", snapshotsTaken);
        line(sb, "snapshot_installs", snapshotInstalls);
        line(sb, "leader_changes", leaderChanges);
        line(sb, "entries_applied", entriesApplied);
        line(sb, "entries_rejected", entriesRejected);
        line(sb, "published_messages_lost", publishedLost);
        return sb.toString();
    }

    private static void line(StringBuilder sb, String name, Object value) {
        sb.append(name).append(':').append(value).append("\r\n");
    }
}
