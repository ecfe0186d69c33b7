package io.strata.server;

/**
 * INFO replication: a standalone server is a Redis master without replicas (no backlog, offset 0);
 * a cluster node shows its Raft group ({@link io.strata.server.replication.Replication#info}).
 */
final class InfoReplication {
    private InfoReplication() {}

    static void append(InfoText out, Request r) {
        StrataServer s = r.server;
        out.title("Replication");
        if (s.replication() != null) {
            out.raw(s.replication().info());
            return;
        }
        out.line("role", "master")
                .line("connected_slaves", 0)
                .line("master_failover_state", "no-failover")
                .line("master_replid", s.runId())
                .line("master_replid2", "0000000000000000000000000000000000000000")
                .line("master_repl_offset", 0)
                .line("second_repl_offset", -1)
                .line("repl_backlog_active", 0)
                .line("repl_backlog_size", 1048576)
                .line("repl_backlog_first_byte_offset", 0)
                .line("repl_backlog_histlen", 0);
    }
}
