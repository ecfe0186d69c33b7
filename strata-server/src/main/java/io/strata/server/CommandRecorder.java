package io.strata.server;

/**
 * Where every command's outcome is recorded, whichever path ran it (a connection's request, a
 * gathered write's commit, a command of EXEC or of a script): INFO commandstats and latencystats
 * (the subcommand's {@link CommandStats} for a container), the slow log, and the Micrometer
 * metrics (under the container's name, as before). Takes no lock and allocates nothing unless the
 * command is slow enough for the slow log.
 */
final class CommandRecorder {
    private CommandRecorder() {}

    /**
     * A command that ran (or was passed to a cluster's leader), taking {@code nanos}.
     *
     * @param client the connection for the slow log; null for a command that is not slow-logged on
     *     its own (one a script ran: its EVAL is)
     * @param failed whether it replied an error
     */
    static void ran(StrataServer server, Client client, CommandSpec spec, byte[][] argv, long nanos, boolean failed) {
        CommandSpec target = spec.target(argv);
        target.stats().ran(nanos, failed, server.latencyTracking().enabled());
        if (client != null) {
            server.slowLog().ran(target, argv, nanos, client);
        }
        ServerMetrics metrics = server.metrics();
        if (metrics.enabled()) {
            metrics.command(spec.name(), nanos, failed);
        }
    }

    /** A command refused before it ran (arity, ACL, BUSY, ...): Redis's rejected_calls. */
    static void rejected(StrataServer server, CommandSpec spec, byte[][] argv, long nanos) {
        spec.target(argv).stats().rejected();
        ServerMetrics metrics = server.metrics();
        if (metrics.enabled()) {
            metrics.command(spec.name(), nanos, true);
        }
    }
}
