package io.strata.db;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.strata.WriteStallReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts and times every write that waited, by reason, and logs each stall episode once: a
 * line when writes start waiting for a reason, and one when a write next goes through
 * without waiting. The episode in progress is guarded by this object's monitor (only the commit
 * leader stalls, so it is never contended); the counters are updated and read lock-free.
 */
final class WriteStalls {
    private static final Logger LOG = LoggerFactory.getLogger(WriteStalls.class);

    private final Map<WriteStallReason, LongAdder> counts = new EnumMap<>(WriteStallReason.class);
    private final Map<WriteStallReason, LongAdder> nanos = new EnumMap<>(WriteStallReason.class);
    private final String store;

    @GuardedBy("this")
    private WriteStallReason current;

    /**
     * Whether {@link #current} is set, so that {@link #end}, called for nearly every write, need not
     * take the monitor when no episode is in progress. Written with the monitor held; only the
     * commit leader calls begin and end, so it reads what it wrote itself.
     */
    private volatile boolean inEpisode;

    @GuardedBy("this")
    private long episodeStart;

    @GuardedBy("this")
    private long episodeWrites;

    WriteStalls(String store) {
        this.store = store;
        for (WriteStallReason r : WriteStallReason.values()) {
            counts.put(r, new LongAdder());
            nanos.put(r, new LongAdder());
        }
    }

    /** A write starts waiting for {@code reason}; {@code detail} says what the engine sees. */
    synchronized void begin(WriteStallReason reason, String detail) {
        if (current != reason) {
            end();
            current = reason;
            episodeStart = System.nanoTime();
            episodeWrites = 0;
            inEpisode = true;
            LOG.warn("{}: write stall ({}): {}", store, reason.label(), detail);
        }
        counts.get(reason).increment();
        episodeWrites++;
    }

    /** The waiting write waited {@code nanos} for {@code reason}. */
    void waited(WriteStallReason reason, long waitedNanos) {
        nanos.get(reason).add(waitedNanos);
    }

    /** A write went through without waiting: the episode in progress, if any, is over. */
    void end() {
        if (inEpisode) {
            endEpisode();
        }
    }

    private synchronized void endEpisode() {
        if (current != null) {
            LOG.info(
                    "{}: write stall ({}) over after {} ms, {} writes delayed",
                    store,
                    current.label(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - episodeStart),
                    episodeWrites);
            current = null;
            inEpisode = false;
        }
    }

    long count() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    long count(WriteStallReason reason) {
        return counts.get(reason).sum();
    }

    long millis(WriteStallReason reason) {
        return TimeUnit.NANOSECONDS.toMillis(nanos.get(reason).sum());
    }
}
