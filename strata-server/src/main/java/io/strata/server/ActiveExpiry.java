package io.strata.server;

import io.strata.StrataIterator;
import io.strata.server.replication.Replication;
import io.strata.server.replication.ReplicationException;
import io.strata.server.store.ExpiryIndex;
import io.strata.server.store.Keyspace;
import io.strata.server.store.ValueCodec;
import io.strata.server.store.Writes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes keys whose expiry has passed, as Redis's active expiry does, so that they leave the
 * keyspace (and DBSIZE, SCAN's work, the disk) without a client touching them, and so that
 * {@code expired} keyspace events are published. Readers never needed it: an expired value is
 * absent to them at once.
 *
 * <p>Each round ({@link #PERIOD_MILLIS}, Redis's default hz of 10) takes the keys due from the
 * {@link ExpiryIndex}, and, while the index may lack keys (after a start, after it was full, on
 * a cluster node that has just become leader), sweeps a slice of the keyspace in key order,
 * noting each key's expiry and deleting what has expired; a pass over the whole keyspace ends
 * that. A key is deleted only if, read again under its stripe lock, its value has expired: a
 * write since then wins. The deletions of a batch are one engine batch through the keyspace's
 * write path (so WATCH sees them), on a cluster node one replicated entry that only the leader
 * proposes, measured on the group's clock: a follower deletes nothing itself and applies the
 * leader's deletions.
 *
 * <p>Confined to the single thread that runs {@link #run} (StrataServer's expiry thread).
 */
final class ActiveExpiry implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ActiveExpiry.class);

    static final long PERIOD_MILLIS = 100;
    /** Keys checked under one lock and deleted as one batch. */
    static final int BATCH = 200;
    /** Keys taken from the index per round: what a round deletes at most. */
    static final int DUE_PER_ROUND = 5 * BATCH;
    /** Keys a sweep reads per round: a million keys take about 100 s. */
    static final int SWEEP_PER_ROUND = 1000;

    private final StrataServer server;
    private final KeyspaceEvents.Pending events = new KeyspaceEvents.Pending();

    /** Whether the index may lack keys: a sweep is to start, or to start again when it ends. */
    private boolean sweepNeeded = true;
    /** Where the sweep goes on from; null when no sweep is under way. */
    private byte[] sweepFrom;

    private boolean sweeping;
    /** The leadership term of the last round on a cluster node; 0 when it did not lead. */
    private long term;
    /** Rounds failed in a row, and the System.nanoTime() before which no round runs after them. */
    private int failures;

    private long resumeAtNanos;

    /** The longest pause after failed rounds (a full disk, writes stopped by a background error). */
    static final long MAX_BACKOFF_MILLIS = 10_000;

    ActiveExpiry(StrataServer server) {
        this.server = server;
    }

    @Override
    public void run() {
        if (failures > 0 && System.nanoTime() - resumeAtNanos < 0) {
            return;
        }
        try {
            round();
            if (failures > 0) {
                log.info("active expiry: deleting again after {} failed round(s)", failures);
                failures = 0;
            }
        } catch (RuntimeException e) {
            // A store closing under the last round, a failing disk, a cluster write that timed out:
            // the keys it took from the index may still be there, so the next round sweeps. Rounds
            // pause, doubling up to MAX_BACKOFF_MILLIS, and only the first failure is a warning.
            sweepNeeded = true;
            failures++;
            long pause = Math.min(MAX_BACKOFF_MILLIS, PERIOD_MILLIS << Math.min(failures, 10));
            resumeAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pause);
            if (failures == 1) {
                log.warn("active expiry: {}; retrying with pauses up to {} ms", e.toString(), MAX_BACKOFF_MILLIS);
            } else {
                log.debug("active expiry: failed again ({} in a row): {}", failures, e.toString());
            }
        }
    }

    private void round() {
        Replication replication = server.replication();
        if (replication == null) {
            expire();
            return;
        }
        try {
            if (!replication.beginWrite()) {
                term = 0;
                return;
            }
        } catch (ReplicationException e) {
            term = 0;
            return;
        }
        try {
            if (replication.leadershipTerm() != term) {
                term = replication.leadershipTerm();
                sweepNeeded = true; // the keys other leaders wrote are in no index here
            }
            expire();
        } finally {
            replication.endWrite();
        }
    }

    private void expire() {
        Keyspace ks = server.keyspace();
        ExpiryIndex index = ks.expiries();
        List<byte[]> due = index.takeDue(ks.now(), DUE_PER_ROUND);
        for (int from = 0; from < due.size(); from += BATCH) {
            delete(ks, due.subList(from, Math.min(due.size(), from + BATCH)));
        }
        if (index.takeOverflow()) {
            sweepNeeded = true;
        }
        if (sweeping || sweepNeeded) {
            sweep(ks);
        }
    }

    /** Reads the next slice of the keyspace: notes the expiry of each key that has one, deletes the expired. */
    private void sweep(Keyspace ks) {
        if (!sweeping) {
            sweeping = true;
            sweepNeeded = false;
            sweepFrom = null;
        }
        List<byte[]> expired = new ArrayList<>();
        long now = ks.now();
        try (StrataIterator it = ks.db().iterator()) {
            if (sweepFrom == null) {
                it.seekToFirst();
            } else {
                it.seek(sweepFrom);
            }
            for (int n = 0; n < SWEEP_PER_ROUND && it.valid(); n++, it.next()) {
                long at = expireAt(it.value());
                if (ValueCodec.expired(at, now)) {
                    expired.add(it.key());
                } else if (at != 0) {
                    ks.expiries().note(it.key(), at);
                }
            }
            sweepFrom = it.valid() ? it.key() : null;
        }
        sweeping = sweepFrom != null;
        for (int from = 0; from < expired.size(); from += BATCH) {
            delete(ks, expired.subList(from, Math.min(expired.size(), from + BATCH)));
        }
    }

    /** Deletes those of {@code keys} (distinct) whose value has expired, read again under their locks. */
    private void delete(Keyspace ks, List<byte[]> keys) {
        List<byte[]> deleted = new ArrayList<>();
        try (Keyspace.Locked ignored = ks.lock(keys)) {
            Writes writes = ks.writes();
            long now = ks.now();
            for (byte[] key : keys) {
                byte[] raw = ks.db().get(key);
                long at = raw == null ? 0 : expireAt(raw);
                if (ValueCodec.expired(at, now)) {
                    writes.delete(key);
                    deleted.add(key);
                } else if (at != 0) {
                    ks.expiries().note(key, at); // written again since it was noted: due later
                }
            }
            if (writes.count() > 0) {
                ks.write(writes);
            }
        }
        server.stats().expiredKeys.add(deleted.size());
        for (byte[] key : deleted) {
            events.add(server, KeyspaceEvents.EXPIRED, "expired", key);
        }
        events.publish(server);
    }

    /** A value's expiry; 0 for one the codec cannot read (not the server's: never deleted here). */
    private static long expireAt(byte[] raw) {
        try {
            return ValueCodec.expireAt(raw);
        } catch (ValueCodec.BadEncodingException e) {
            return 0;
        }
    }
}
