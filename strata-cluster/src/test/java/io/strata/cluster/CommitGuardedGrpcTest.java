package io.strata.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.TermIndexProto;
import org.junit.jupiter.api.Test;

/** The follower's commit index from an append is at most the last entry the append proved (issue 10). */
class CommitGuardedGrpcTest {
    private static AppendEntriesRequestProto.Builder append(long leaderCommit, long... entryIndexes) {
        AppendEntriesRequestProto.Builder b =
                AppendEntriesRequestProto.newBuilder().setLeaderTerm(2).setLeaderCommit(leaderCommit);
        for (long i : entryIndexes) {
            b.addEntries(LogEntryProto.newBuilder().setTerm(2).setIndex(i));
        }
        return b;
    }

    @Test
    void heartbeatWithoutPreviousEntryCommitsNothing() {
        assertThat(CommitGuardedGrpc.capLeaderCommit(append(2).build()).getLeaderCommit())
                .isEqualTo(-1);
    }

    @Test
    void entriesWithoutPreviousEntryCommitAtMostTheLastOfThem() {
        assertThat(CommitGuardedGrpc.capLeaderCommit(append(5, 0, 1).build()).getLeaderCommit())
                .isEqualTo(1);
        assertThat(CommitGuardedGrpc.capLeaderCommit(append(0, 0, 1).build()).getLeaderCommit())
                .isEqualTo(0);
    }

    @Test
    void appendWithPreviousEntryIsUnchanged() {
        AppendEntriesRequestProto r = append(7)
                .setPreviousLog(TermIndexProto.newBuilder().setTerm(2).setIndex(3))
                .build();
        assertThat(CommitGuardedGrpc.capLeaderCommit(r)).isSameAs(r);
    }
}
