package io.strata.cluster.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.ratis.protocol.RaftPeer;

/**
 * {@code strata cluster status}: who leads, the leader's configuration, and one line per node
 * with its role, term, commit, applied and snapshot index as its group info reports them (or
 * why it could not be reached). A node that is not in the leader's configuration (one started
 * with --join and not yet added, or one removed) is marked so.
 */
public final class ClusterStatus {
    private ClusterStatus() {}

    public static String render(GroupSurvey survey) {
        StringBuilder out = new StringBuilder();
        Optional<NodeReport> leader = survey.leader();
        Set<String> members = leader.map(l -> l.configuration().stream()
                        .map(p -> p.getId().toString())
                        .collect(Collectors.toSet()))
                .orElse(Set.of());
        if (leader.isPresent()) {
            NodeReport l = leader.get();
            out.append("leader: ")
                    .append(l.id())
                    .append(" (term ")
                    .append(l.term())
                    .append(")\n");
            out.append("members: ").append(list(l.configuration()));
            out.append(l.changing() ? " (a membership change is under way)\n" : "\n");
        } else {
            out.append("leader: none known (no reachable node leads)\n");
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NODE", "ADDRESS", "ROLE", "TERM", "COMMIT", "APPLIED", "SNAPSHOT", "NOTE"});
        for (NodeReport n : survey.nodes()) {
            String address = n.peer().getAddress();
            if (!n.reachable()) {
                rows.add(new String[] {n.id(), address, "unreachable", "-", "-", "-", "-", n.unreachable()});
                continue;
            }
            String note = leader.isPresent() && !members.contains(n.id()) ? "not a member" : "";
            rows.add(new String[] {
                n.id(),
                address,
                n.role(),
                Long.toString(n.term()),
                Long.toString(n.commitIndex()),
                Long.toString(n.appliedIndex()),
                Long.toString(n.snapshotIndex()),
                note
            });
        }
        table(out, rows);
        return out.toString();
    }

    /** {@code id=host:port,...} */
    static String list(List<RaftPeer> peers) {
        return peers.stream().map(p -> p.getId() + "=" + p.getAddress()).collect(Collectors.joining(","));
    }

    private static void table(StringBuilder out, List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(i == r.length - 1 ? r[i] : String.format("%-" + (width[i] + 2) + "s", r[i]));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
