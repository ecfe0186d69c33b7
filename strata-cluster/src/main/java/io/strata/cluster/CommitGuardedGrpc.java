package io.strata.cluster;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcFactory;
import org.apache.ratis.grpc.server.GrpcServices;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.rpc.RpcFactory;
import org.apache.ratis.rpc.RpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.raftlog.RaftLog;

/**
 * Ratis's gRPC transport, with one correction on the follower's side: an append that carries no
 * previous entry may raise the follower's commit index only up to the last entry it carries (to
 * none, for a heartbeat), as Raft's receiver rule says: {@code commitIndex = min(leaderCommit,
 * index of last new entry)}.
 *
 * <p>Why (issue 10): Ratis 3.3.0's follower takes a missing previous entry for index 0 ({@code
 * ServerImplUtils.effectiveCommitIndex}: {@code followerPrevious != null ? getIndex() :
 * RaftLog.LEAST_VALID_LOG_INDEX}, then {@code min(leaderCommit, previous + entries)}), so a
 * heartbeat sent while the leader backs off to index 0 commits whatever the follower holds at
 * index 0, unchecked. A node that led a term alone and appended its first entry at index 0 (its
 * configuration entry, which no other node got) and then rejoins under a leader whose index 0 is
 * another entry, commits its own: it then refuses the leader's index 0 for good
 * ({@code RaftServerImpl.checkInconsistentAppendEntries} refuses an entry at or below the commit
 * index) and never catches up; and once it applied that entry, the snapshot it takes at stop
 * claims it too. An append with a previous entry is not touched: that entry was found in the
 * follower's log, so everything up to it, and then the entries it carries, match the leader's.
 *
 * <p>Lowering a commit index the leader sends is always safe: the follower learns the rest from
 * the next append, whose previous entry matched. Ratis builds this by the class name this
 * reports (each RaftServer and RaftClient builds its own), so it keeps a public no-argument
 * constructor.
 */
public final class CommitGuardedGrpc implements RpcType {
    @Override
    public String name() {
        return CommitGuardedGrpc.class.getName();
    }

    @Override
    public RpcFactory newFactory(Parameters parameters) {
        return new GrpcFactory(parameters) {
            @Override
            public GrpcServices newRaftServerRpc(RaftServer server) {
                return super.newRaftServerRpc(guarded(server));
            }
        };
    }

    /** {@code server}, with {@link #capLeaderCommit} applied to each append it is sent. */
    static RaftServer guarded(RaftServer server) {
        InvocationHandler h = (proxy, method, args) -> {
            if (isAppend(args)) {
                args[0] = capLeaderCommit((AppendEntriesRequestProto) args[0]);
            }
            try {
                return method.invoke(server, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (RaftServer)
                Proxy.newProxyInstance(RaftServer.class.getClassLoader(), new Class<?>[] {RaftServer.class}, h);
    }

    /** appendEntries and appendEntriesAsync: the follower's side of the leader's appends. */
    private static boolean isAppend(Object[] args) {
        return args != null && args.length == 1 && args[0] instanceof AppendEntriesRequestProto;
    }

    /** The append with its leader commit at most the last entry it carries, if it carries no previous entry. */
    static AppendEntriesRequestProto capLeaderCommit(AppendEntriesRequestProto r) {
        if (r.hasPreviousLog()) {
            return r;
        }
        int n = r.getEntriesCount();
        long last = n == 0 ? RaftLog.INVALID_LOG_INDEX : r.getEntries(n - 1).getIndex();
        return r.getLeaderCommit() <= last
                ? r
                : r.toBuilder().setLeaderCommit(last).build();
    }
}
