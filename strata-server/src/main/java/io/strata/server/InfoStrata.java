package io.strata.server;

import io.strata.Statistics;

/** INFO strata: the engine's figures (sequence, memtables, levels, flushes, compactions, stalls, errors). */
final class InfoStrata {
    private InfoStrata() {}

    static void append(InfoText out, Request r) {
        StrataServer s = r.server;
        Statistics engine = s.keyspace().db().statistics();
        out.title("Strata")
                .line("last_sequence", engine.lastSequence())
                .line("bytes_ingested", engine.bytesIngested())
                .line("memtable_bytes", engine.memtableBytes())
                .line("immutable_memtables", engine.immutableMemtables());
        for (int level = 0; level < engine.filesPerLevel().size(); level++) {
            out.line("files_at_level" + level, engine.filesPerLevel().get(level))
                    .line("bytes_at_level" + level, engine.bytesPerLevel().get(level));
        }
        out.line("flushes", engine.flushes())
                .line("flush_bytes", engine.flushBytes())
                .line("flush_failures", engine.flushFailures())
                .line("compactions", engine.compactions())
                .line("compaction_bytes_read", engine.compactionBytesRead())
                .line("compaction_bytes_written", engine.compactionBytesWritten())
                .line("compaction_failures", engine.compactionFailures())
                .decimal("write_amplification", engine.writeAmplification());
        for (int i = 0; i < Statistics.STALL_REASONS.size(); i++) {
            String reason = Statistics.STALL_REASONS.get(i).replace('-', '_');
            out.line("stall_writes_" + reason, engine.stallWrites().get(i))
                    .line("stall_ms_" + reason, engine.stallMillis().get(i));
        }
        out.line("inline_commands", s.stats().inlineCommands.sum())
                .line(
                        "command_thread_handovers",
                        s.stats().commandThreadHandovers.sum());
        out.line("background_error", oneLine(s.keyspace().db().getProperty("strata.background-error")))
                .line("compaction_error", oneLine(s.keyspace().db().getProperty("strata.compaction-error")));
    }

    private static String oneLine(String error) {
        return error == null || error.isEmpty()
                ? "none"
                : error.replace("\r", " ").replace("\n", " ");
    }
}
