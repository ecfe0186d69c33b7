package io.strata.server;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * One command's (or subcommand's) counts for INFO commandstats and latencystats, as Redis keeps
 * them per command: calls that ran, their total time, calls refused before running (wrong arity,
 * ACL, BUSY, ...; Redis's rejected_calls), calls that ran and replied an error (failed_calls), and
 * a latency histogram. CONFIG RESETSTAT zeroes them.
 *
 * <p>Every command thread records and any thread reads: the counters are LongAdders and the
 * histogram a {@link ConcurrentHistogram} (lock-free recording), so recording takes no lock and
 * allocates nothing. The histogram (tens of kilobytes) is created on the command's first timed
 * call, under this object's monitor, and published through the volatile field; a reset that races
 * a recording may keep that recording.
 */
final class CommandStats {
    /** Redis's range (1 ns to 1 s, with 2 significant digits); a longer call counts as 1 s. */
    private static final long HISTOGRAM_MAX_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final LongAdder calls = new LongAdder();
    private final LongAdder nanos = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder failed = new LongAdder();
    /** Null until the first call recorded with latency tracking on, and after a reset. */
    private volatile Histogram latency;

    /** A call that ran: its time, whether it replied an error, and whether latency-tracking is on. */
    void ran(long elapsedNanos, boolean error, boolean trackLatency) {
        calls.increment();
        nanos.add(elapsedNanos);
        if (error) {
            failed.increment();
        }
        if (trackLatency) {
            histogram().recordValue(Math.max(1, Math.min(elapsedNanos, HISTOGRAM_MAX_NANOS)));
        }
    }

    /** A call refused before it ran. */
    void rejected() {
        rejected.increment();
    }

    private Histogram histogram() {
        Histogram h = latency;
        if (h == null) {
            synchronized (this) {
                h = latency;
                if (h == null) {
                    h = new ConcurrentHistogram(1, HISTOGRAM_MAX_NANOS, 2);
                    latency = h;
                }
            }
        }
        return h;
    }

    void reset() {
        calls.reset();
        nanos.reset();
        rejected.reset();
        failed.reset();
        latency = null;
    }

    /** Whether INFO commandstats shows this command: it was called or refused since the last reset. */
    boolean used() {
        return calls.sum() > 0 || rejected.sum() > 0 || failed.sum() > 0;
    }

    /** Redis's commandstats value: {@code calls=..,usec=..,usec_per_call=..,rejected_calls=..,failed_calls=..}. */
    String describe() {
        long n = calls.sum();
        long usec = nanos.sum() / 1000;
        return "calls=" + n + ",usec=" + usec + ",usec_per_call="
                + String.format(java.util.Locale.ROOT, "%.2f", n == 0 ? 0.0 : (double) usec / n)
                + ",rejected_calls=" + rejected.sum() + ",failed_calls=" + failed.sum();
    }

    /**
     * Redis's latencystats value for these percentiles ({@code p50=1.003,p99=...}, in µs with three
     * decimals), or null when no latency was recorded since the last reset.
     */
    String percentiles(double[] percentiles) {
        Histogram h = latency;
        if (h == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (double p : percentiles) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append('p').append(LatencyTracking.format(p)).append('=');
            sb.append(String.format(java.util.Locale.ROOT, "%.3f", h.getValueAtPercentile(p) / 1000.0));
        }
        return sb.toString();
    }
}
