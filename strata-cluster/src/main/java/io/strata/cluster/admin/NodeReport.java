package io.strata.cluster.admin;

import java.util.List;
import java.util.Locale;
import org.apache.ratis.proto.RaftProtos.LogInfoProto;
import org.apache.ratis.proto.RaftProtos.RaftConfigurationProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.util.ProtoUtils;

/**
 * What one node said of the group when asked (Ratis's group info), or why it could not be
 * asked: exactly one of {@code info} and {@code unreachable} is non-null.
 *
 * @param peer the node as the command line or the leader's configuration named it
 */
public record NodeReport(RaftPeer peer, GroupInfoReply info, String unreachable) {
    public boolean reachable() {
        return info != null;
    }

    public String id() {
        return peer.getId().toString();
    }

    /** leader, follower, candidate, listener; or "unreachable". */
    public String role() {
        return reachable() ? info.getRoleInfoProto().getRole().name().toLowerCase(Locale.ROOT) : "unreachable";
    }

    public boolean isLeader() {
        return reachable() && info.getRoleInfoProto().getRole() == RaftPeerRole.LEADER;
    }

    /**
     * The leader's current term; for another node the term of its newest log entry (the group
     * info reports a node's current term only for a leader), which equals it once the leader's
     * first entry of the term has reached that node.
     */
    public long term() {
        RoleInfoProto r = info.getRoleInfoProto();
        long last = log().getLastEntry().getTerm();
        // Just after an election a leader may report term 0 in its leader info; its newest entry has the term.
        return r.hasLeaderInfo() ? Math.max(r.getLeaderInfo().getTerm(), last) : last;
    }

    public long commitIndex() {
        return log().hasCommitted() ? log().getCommitted().getIndex() : -1;
    }

    public long appliedIndex() {
        return log().hasApplied() ? log().getApplied().getIndex() : -1;
    }

    public long snapshotIndex() {
        return log().hasLastSnapshot() ? log().getLastSnapshot().getIndex() : -1;
    }

    /** The leader this node knows of (itself, if it leads), or null. */
    public RaftPeerId leaderId() {
        RoleInfoProto r = info.getRoleInfoProto();
        if (r.hasLeaderInfo()) {
            return peer.getId();
        }
        if (r.hasFollowerInfo() && r.getFollowerInfo().hasLeaderInfo()) {
            return RaftPeerId.valueOf(
                    r.getFollowerInfo().getLeaderInfo().getId().getId());
        }
        return null;
    }

    /** The voting members of the configuration this node holds (the new one while a change is under way). */
    public List<RaftPeer> configuration() {
        return ProtoUtils.toRaftPeers(conf().getPeersList());
    }

    /** Whether this node's configuration is a joint one: a membership change has not completed. */
    public boolean changing() {
        return conf().getOldPeersCount() > 0;
    }

    private RaftConfigurationProto conf() {
        return info.getConf().orElse(RaftConfigurationProto.getDefaultInstance());
    }

    private LogInfoProto log() {
        return info.getLogInfoProto();
    }
}
