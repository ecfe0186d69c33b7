package io.strata.server;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters shown by INFO stats; CONFIG RESETSTAT zeroes them. Every command thread adds to them
 * and any thread reads them: each is a LongAdder (a reset that races an add may keep the add).
 */
final class ServerStats {
    final LongAdder connectionsReceived = new LongAdder();
    final LongAdder rejectedConnections = new LongAdder();
    final LongAdder commandsProcessed = new LongAdder();
    /** Commands run on their connection's I/O thread (a GET answered from memory). */
    final LongAdder inlineCommands = new LongAdder();
    /** Times a connection was handed to its command thread for a command that may block. */
    final LongAdder commandThreadHandovers = new LongAdder();

    final LongAdder netInputBytes = new LongAdder();
    final LongAdder netOutputBytes = new LongAdder();
    final LongAdder keyspaceHits = new LongAdder();
    final LongAdder keyspaceMisses = new LongAdder();
    /** Keys the active expiry deleted (INFO's expired_keys). */
    final LongAdder expiredKeys = new LongAdder();

    final LongAdder authFailures = new LongAdder();
    final LongAdder aclDeniedCommand = new LongAdder();
    final LongAdder aclDeniedKey = new LongAdder();
    final LongAdder errorReplies = new LongAdder();
    final LongAdder protocolErrors = new LongAdder();
    final LongAdder idleTimeouts = new LongAdder();
    final LongAdder batchedWrites = new LongAdder();
    final LongAdder writeBatches = new LongAdder();
    final LongAdder aclDeniedChannel = new LongAdder();
    /** Connections closed for passing client-output-buffer-limit. */
    final LongAdder outputBufferLimitDisconnections = new LongAdder();
    /** INFO errorstats; thread-safe. */
    final ErrorStats errors = new ErrorStats();

    /** One error reply of this text ("ERR ...", "WRONGTYPE ..."): total_error_replies and errorstats. */
    void errorReply(String text) {
        errorReplies.add(1);
        errors.count(text);
    }

    void reset() {
        for (LongAdder a : new LongAdder[] {
            connectionsReceived,
            rejectedConnections,
            commandsProcessed,
            netInputBytes,
            netOutputBytes,
            keyspaceHits,
            keyspaceMisses,
            expiredKeys,
            authFailures,
            aclDeniedCommand,
            aclDeniedKey,
            errorReplies,
            protocolErrors,
            idleTimeouts,
            batchedWrites,
            writeBatches,
            aclDeniedChannel,
            outputBufferLimitDisconnections,
            inlineCommands,
            commandThreadHandovers
        }) {
            a.reset();
        }
        errors.reset();
    }
}
