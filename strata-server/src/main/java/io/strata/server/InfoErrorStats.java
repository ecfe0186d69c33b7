package io.strata.server;

/** INFO errorstats: {@code errorstat_CODE:count=N} for every error code replied since the last CONFIG RESETSTAT. */
final class InfoErrorStats {
    private InfoErrorStats() {}

    static void append(InfoText out, Request r) {
        out.title("Errorstats");
        r.server.stats().errors.snapshot().forEach((code, n) -> out.line("errorstat_" + code, "count=" + n));
    }
}
