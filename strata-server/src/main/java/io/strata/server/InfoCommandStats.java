package io.strata.server;

import java.util.function.BiConsumer;

/**
 * INFO commandstats ({@code cmdstat_set:calls=..,usec=..,...}) and latencystats
 * ({@code latency_percentiles_usec_set:p50=..,p99=..,p99.9=..}): each command and subcommand
 * ({@code client|id}) with counts since the last CONFIG RESETSTAT, in name order, a container's
 * subcommands after it.
 */
final class InfoCommandStats {
    private InfoCommandStats() {}

    static void appendCalls(InfoText out, Request r) {
        out.title("Commandstats");
        each(r, (name, stats) -> {
            if (stats.used()) {
                out.line("cmdstat_" + name, stats.describe());
            }
        });
    }

    static void appendLatencies(InfoText out, Request r) {
        out.title("Latencystats");
        double[] percentiles = r.server.latencyTracking().percentiles();
        each(r, (name, stats) -> {
            String line = stats.percentiles(percentiles);
            if (line != null) {
                out.line("latency_percentiles_usec_" + name, line);
            }
        });
    }

    /** Every command and subcommand by the name it was built with (a renamed one too), with its counts. */
    private static void each(Request r, BiConsumer<String, CommandStats> action) {
        java.util.Map<String, CommandSpec> byName = new java.util.TreeMap<>();
        r.server.commands().all().forEach(c -> byName.put(c.name(), c));
        byName.values().forEach(c -> {
            action.accept(c.name(), c.stats());
            c.subcommands().values().forEach(sub -> action.accept(sub.name(), sub.stats()));
        });
    }
}
