package io.strata.server.store;

import io.strata.CompactionFilter;
import java.util.function.LongSupplier;

/**
 * The engine compaction filter the server opens its store with: a value whose
 * {@link ValueCodec} header holds an expiry at or before now is dead, so compaction turns it
 * into a tombstone (and drops that once nothing older remains) and its bytes leave the disk.
 * Reads already treat such a value as absent ({@link Keyspace#decodeLive}), with the same
 * clock and the same comparison, so the filter never changes what a client sees.
 *
 * <p>A value the codec cannot decode (written by something else, or corrupt) is kept: only a
 * value known to be expired is dropped.
 */
public final class ExpiredValueFilter implements CompactionFilter {
    private final LongSupplier clock;

    /** @param clock epoch milliseconds: the clock the {@link Keyspace} reads with */
    public ExpiredValueFilter(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public boolean shouldDrop(byte[] key, byte[] value) {
        long expireAt;
        try {
            expireAt = ValueCodec.expireAt(value);
        } catch (ValueCodec.BadEncodingException e) {
            return false;
        }
        return ValueCodec.expired(expireAt, clock.getAsLong());
    }
}
