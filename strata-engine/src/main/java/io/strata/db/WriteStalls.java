package io.strata.db;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts and times every write that waited, by reason, and logs each stall episode once: a
 * line when writes start waiting for a reason, and one when a write next goes through
 * without waiting. Only the commit leader stalls, under the engine's mutex, which guards
 * {@link #current} and {@link #episodeStart}; the counters are read lock-free.
 */
final class WriteStalls {
    private static final Logger LOG = LoggerFactory.getLogger(WriteStalls.class);

    /** In the order of {@link io.strata.Statistics#STALL_REASONS}. */
    enum Reason {
        /** Every allowed immutable memtable waits for its flush. */
        MEMTABLE_QUEUE_FULL("memtable-queue-full"),
        /** Level 0 reached the stop trigger: writes wait for a compaction. */
        LEVEL0_STOP("level0-stop"),
        /** Level 0 reached the slowdown trigger: each write is delayed by a millisecond. */
        LEVEL0_SLOWDOWN("level0-slowdown");

        final String label;

        Reason(String label) {
            this.label = label;
        }
    }

    private final Map<Reason, LongAdder> counts = new EnumMap<>(Reason.class);
    private final Map<Reason, LongAdder> nanos = new EnumMap<>(Reason.class);
    private final String store;
    private Reason current;
    private long episodeStart;
    private long episodeWrites;

    WriteStalls(String store) {
        this.store = store;
        for (Reason r : Reason.values()) {
            counts.put(r, new LongAdder());
            nanos.put(r, new LongAdder());
        }
    }

    /** A write starts waiting for {@code reason}; {@code detail} says what the engine sees. */
    void begin(Reason reason, String detail) {
        if (current != reason) {
            end();
            current = reason;
            episodeStart = System.nanoTime();
            episodeWrites = 0;
            LOG.warn("{}: write stall ({}): {}", store, reason.label, detail);
        }
        counts.get(reason).increment();
        episodeWrites++;
    }

    /** The waiting write waited {@code nanos} for {@code reason}. */
    void waited(Reason reason, long waitedNanos) {
        nanos.get(reason).add(waitedNanos);
    }

    /** A write went through without waiting: the episode in progress, if any, is over. */
    void end() {
        if (current != null) {
            LOG.info(
                    "{}: write stall ({}) over after {} ms, {} writes delayed",
                    store,
                    current.label,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - episodeStart),
                    episodeWrites);
            current = null;
        }
    }

    long count() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    long count(Reason reason) {
        return counts.get(reason).sum();
    }

    long millis(Reason reason) {
        return TimeUnit.NANOSECONDS.toMillis(nanos.get(reason).sum());
    }
}
