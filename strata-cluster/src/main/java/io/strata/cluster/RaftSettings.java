package io.strata.cluster;

import io.strata.server.replication.ClusterSettings;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/** The Ratis properties of one node, from its cluster settings. */
final class RaftSettings {
    /**
     * The largest replicated entry. Ratis caps an entry by its appender buffer and needs the log
     * write buffer at least that plus 8 bytes; a larger write is refused before it is proposed,
     * with this limit in its message.
     */
    static final int MAX_ENTRY_BYTES = 16 * 1024 * 1024;

    private RaftSettings() {}

    static RaftProperties properties(ClusterSettings s, Path raftDir) {
        RaftProperties p = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(p, List.of(new File(raftDir.toString())));
        // gRPC, with the follower's commit index kept to what the leader's append proved (issue 10).
        RaftConfigKeys.Rpc.setType(p, new CommitGuardedGrpc());
        GrpcConfigKeys.Server.setPort(p, s.raftPort());
        GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf(MAX_ENTRY_BYTES + (1 << 20)));

        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Read.setLeaderLeaseEnabled(p, s.leaseReads());
        RaftServerConfigKeys.Read.setTimeout(p, ms(s.requestTimeoutMs()));

        RaftServerConfigKeys.Rpc.setTimeoutMin(p, ms(s.electionTimeoutMs()));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, ms(2L * s.electionTimeoutMs()));
        RaftServerConfigKeys.Rpc.setRequestTimeout(p, ms(Math.max(3000, s.requestTimeoutMs())));
        RaftServerConfigKeys.LeaderElection.setPreVote(p, true);

        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, s.snapshotThreshold());

        // No commit-index entries in the log: Ratis's default writes (and syncs) one after each
        // commit, doubling the appends and syncs per write. A restarting node needs none: it
        // resumes from the engine's durable marker, and learns the commit index from the leader.
        RaftServerConfigKeys.Log.setLogMetadataEnabled(p, false);
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(s.segmentSizeBytes()));
        // Purge what a snapshot covers even while a follower is down: it catches up by snapshot.
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        RaftServerConfigKeys.Log.setPurgeGap(p, (int)
                Math.min(Integer.MAX_VALUE, Math.max(1, s.snapshotThreshold() / 8)));
        RaftServerConfigKeys.Log.Appender.setBufferByteLimit(p, SizeInBytes.valueOf(MAX_ENTRY_BYTES));
        RaftServerConfigKeys.Log.setWriteBufferSize(p, SizeInBytes.valueOf(MAX_ENTRY_BYTES + 8));
        RaftServerConfigKeys.Write.setByteLimit(p, SizeInBytes.valueOf(256L * 1024 * 1024));
        return p;
    }

    private static TimeDuration ms(long millis) {
        return TimeDuration.valueOf(millis, TimeUnit.MILLISECONDS);
    }
}
