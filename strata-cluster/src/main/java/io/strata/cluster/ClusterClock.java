package io.strata.cluster;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The group's time, which expiries are measured on (epoch ms): every entry carries the leader's
 * clock when it evaluated the command ({@link WriteEntry#leaderTimeMillis}), and a node's time
 * is the newest applied entry's leader time plus the monotonic time elapsed since it was applied.
 * So a follower whose own clock is an hour off still agrees with the leader on whether a key has
 * expired (within the replication delay), and compaction drops an expired value on every node
 * at about the same moment. The leader uses its own clock, but never less than that derived time,
 * so the group's time does not go back when leadership moves to a node whose clock is behind.
 * Before any entry is applied, a node uses its own clock.
 *
 * <p>Thread-safe: the apply thread publishes each anchor through a volatile field; command and
 * compaction threads read it.
 */
final class ClusterClock implements LongSupplier {
    private record Anchor(long leaderMillis, long appliedNanos) {}

    private final LongSupplier local;
    private final BooleanSupplier leading;
    private volatile Anchor anchor;

    ClusterClock(LongSupplier local, BooleanSupplier leading) {
        this.local = local;
        this.leading = leading;
    }

    /** Called by the apply thread for each entry applied. */
    void applied(long leaderMillis) {
        anchor = new Anchor(leaderMillis, System.nanoTime());
    }

    @Override
    public long getAsLong() {
        Anchor a = anchor;
        long own = local.getAsLong();
        if (a == null) {
            return own;
        }
        long derived = a.leaderMillis + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - a.appliedNanos);
        return leading.getAsBoolean() ? Math.max(own, derived) : derived;
    }
}
