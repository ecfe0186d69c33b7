package io.strata.server;

import io.strata.server.pubsub.Kind;

/**
 * INFO stats: Redis 7.2's fields from {@link ServerStats}, and Strata's (strata_*). What Strata
 * does not have (replicas, eviction, forks, defragmentation, client tracking, an event loop) is
 * shown as 0; instantaneous rates are not sampled (0).
 */
final class InfoStats {
    private InfoStats() {}

    static void append(InfoText out, Request r) {
        StrataServer s = r.server;
        ServerStats st = s.stats();
        out.title("Stats")
                .line("total_connections_received", st.connectionsReceived.sum())
                .line("total_commands_processed", st.commandsProcessed.sum())
                .line("instantaneous_ops_per_sec", 0)
                .line("total_net_input_bytes", st.netInputBytes.sum())
                .line("total_net_output_bytes", st.netOutputBytes.sum())
                .line("total_net_repl_input_bytes", 0)
                .line("total_net_repl_output_bytes", 0)
                .decimal("instantaneous_input_kbps", 0)
                .decimal("instantaneous_output_kbps", 0)
                .decimal("instantaneous_input_repl_kbps", 0)
                .decimal("instantaneous_output_repl_kbps", 0)
                .line("rejected_connections", st.rejectedConnections.sum())
                .line("sync_full", 0)
                .line("sync_partial_ok", 0)
                .line("sync_partial_err", 0)
                .line("expired_keys", st.expiredKeys.sum())
                .decimal("expired_stale_perc", 0)
                .line("expired_time_cap_reached_count", 0)
                .line("expire_cycle_cpu_milliseconds", 0)
                .line("evicted_keys", 0)
                .line("evicted_clients", 0)
                .line("total_eviction_exceeded_time", 0)
                .line("current_eviction_exceeded_time", 0)
                .line("keyspace_hits", st.keyspaceHits.sum())
                .line("keyspace_misses", st.keyspaceMisses.sum())
                .line("pubsub_channels", s.pubsub().count(Kind.CHANNEL))
                .line("pubsub_patterns", s.pubsub().count(Kind.PATTERN))
                .line("pubsubshard_channels", s.pubsub().count(Kind.SHARD))
                .line("latest_fork_usec", 0)
                .line("total_forks", 0)
                .line("migrate_cached_sockets", 0)
                .line("slave_expires_tracked_keys", 0)
                .line("active_defrag_hits", 0)
                .line("active_defrag_misses", 0)
                .line("active_defrag_key_hits", 0)
                .line("active_defrag_key_misses", 0)
                .line("total_active_defrag_time", 0)
                .line("current_active_defrag_time", 0)
                .line("tracking_total_keys", 0)
                .line("tracking_total_items", 0)
                .line("tracking_total_prefixes", 0)
                .line("unexpected_error_replies", 0)
                .line("total_error_replies", st.errorReplies.sum())
                .line("dump_payload_sanitizations", 0)
                .line("total_reads_processed", st.commandsProcessed.sum())
                .line("total_writes_processed", st.commandsProcessed.sum())
                .line("io_threaded_reads_processed", 0)
                .line("io_threaded_writes_processed", 0)
                .line("client_query_buffer_limit_disconnections", 0)
                .line("client_output_buffer_limit_disconnections", st.outputBufferLimitDisconnections.sum())
                .line("reply_buffer_shrinks", 0)
                .line("reply_buffer_expands", 0)
                .line("acl_access_denied_auth", st.authFailures.sum())
                .line("acl_access_denied_cmd", st.aclDeniedCommand.sum())
                .line("acl_access_denied_key", st.aclDeniedKey.sum())
                .line("acl_access_denied_channel", st.aclDeniedChannel.sum())
                .line("strata_protocol_errors", st.protocolErrors.sum())
                .line("strata_idle_timeouts", st.idleTimeouts.sum())
                .line("strata_write_batches", st.writeBatches.sum())
                .line("strata_batched_writes", st.batchedWrites.sum());
    }
}
