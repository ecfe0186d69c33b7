package io.strata.server;

/** INFO clients: Redis 7.2's fields; Strata blocks no client, tracks no keys for clients and has no cluster bus. */
final class InfoClients {
    private InfoClients() {}

    static void append(InfoText out, Request r) {
        StrataServer s = r.server;
        out.title("Clients")
                .line("connected_clients", s.connectedClients())
                .line("cluster_connections", 0)
                .line("maxclients", s.config().maxClients())
                .line("client_recent_max_input_buffer", 0)
                .line("client_recent_max_output_buffer", 0)
                .line("blocked_clients", 0)
                .line("tracking_clients", 0)
                .line(
                        "pubsub_clients",
                        s.clients().stream().filter(c -> c.subscriptions.any()).count())
                .line("clients_in_timeout_table", 0)
                .line("total_blocking_keys", 0)
                .line("total_blocking_keys_on_nokey", 0);
    }
}
