package io.strata.server;

/** INFO keyspace: database 0's keys and keys with an expiry (a scan of the store); no average TTL. */
final class InfoKeyspace {
    private InfoKeyspace() {}

    static void append(InfoText out, Request r) {
        out.title("Keyspace");
        long[] counts = ServerCommands.countKeys(r.ks);
        if (counts[0] > 0) {
            out.line("db0", "keys=" + counts[0] + ",expires=" + counts[1] + ",avg_ttl=0");
        }
    }
}
