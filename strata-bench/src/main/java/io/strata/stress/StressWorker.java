package io.strata.stress;

import io.strata.ReadOptions;
import io.strata.Snapshot;
import io.strata.StrataDb;
import io.strata.StrataIterator;
import io.strata.WriteBatch;
import io.strata.WriteOptions;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * One stress thread: draws operations from the mix until {@code keepGoing} says stop, records
 * every write in the expected state around the store call (see {@link ExpectedState}), and
 * checks every read. The first check that fails throws {@link StressFailure}.
 */
final class StressWorker implements Runnable {
    private static final int MAX_BATCH_KEYS = 8;
    private static final int MAX_SCAN_KEYS = 64;
    private static final int MAX_SNAPSHOT_KEYS = 16;

    private final StrataDb db;
    private final ExpectedState state;
    private final ValueFormat format;
    private final KeyLocks locks;
    private final OpMix mix;
    private final WriteOptions writeOptions;
    /** The sequence of the next write (shared by all threads; a batch's keys share one). */
    private final AtomicLong writeSeq;
    /** Operations done, by {@link Op} (shared by all threads). */
    private final Map<Op, LongAdder> done;

    private final BooleanSupplier keepGoing;
    private final SplittableRandom rnd;
    private final int keys;
    /** The snapshot this thread holds, if any (this thread's only). */
    private HeldSnapshot held;

    /** A snapshot and the states of keys {@code from}.. it must show. */
    private record HeldSnapshot(Snapshot snapshot, int from, KeyState[] expected) {}

    StressWorker(
            StrataDb db,
            ExpectedState state,
            ValueFormat format,
            KeyLocks locks,
            OpMix mix,
            boolean sync,
            AtomicLong writeSeq,
            Map<Op, LongAdder> done,
            BooleanSupplier keepGoing,
            long seed) {
        this.db = db;
        this.state = state;
        this.format = format;
        this.locks = locks;
        this.mix = mix;
        this.writeOptions = new WriteOptions().sync(sync);
        this.writeSeq = writeSeq;
        this.done = done;
        this.keepGoing = keepGoing;
        this.rnd = new SplittableRandom(seed);
        this.keys = state.keys();
    }

    @Override
    public void run() {
        try {
            while (keepGoing.getAsBoolean()) {
                Op op = mix.draw(rnd);
                switch (op) {
                    case GET -> get(rnd.nextInt(keys));
                    case PUT -> write(new int[] {rnd.nextInt(keys)}, new boolean[] {true});
                    case DELETE -> write(new int[] {rnd.nextInt(keys)}, new boolean[] {false});
                    case BATCH -> batch();
                    case SCAN -> scan();
                    case SNAPSHOT -> snapshot();
                }
                done.get(op).increment();
            }
            releaseSnapshot();
        } finally {
            if (held != null) {
                held.snapshot().close();
            }
        }
    }

    /** A get without the key's lock: it must find a state of its {@link GetWindow}. */
    private void get(int key) {
        KeyState before = state.acked(key);
        Found found = Found.of(format, key, db.get(KeySpace.key(key)));
        KeyState inFlight = state.pending(key, before);
        GetWindow window = new GetWindow(before, inFlight, state.acked(key));
        if (!window.allows(found)) {
            throw new StressFailure("get of key " + KeySpace.describe(KeySpace.key(key)) + ": expected "
                    + window.describe(format, key) + ", found " + found.describe());
        }
    }

    /** One write of {@code keys} (distinct), a put or delete each: a single put/delete, or a batch. */
    private void write(int[] keys, boolean[] present) {
        try (KeyLocks.Held h = locks.lockKeys(keys)) {
            KeyState[] next = new KeyState[keys.length];
            long seq = writeSeq.incrementAndGet();
            for (int i = 0; i < keys.length; i++) {
                next[i] = state.acked(keys[i]).next(present[i]);
                state.setPending(keys[i], seq, next[i]);
            }
            if (keys.length == 1) {
                byte[] key = KeySpace.key(keys[0]);
                if (present[0]) {
                    db.put(key, format.value(keys[0], next[0].version()), writeOptions);
                } else {
                    db.delete(key, writeOptions);
                }
            } else {
                WriteBatch batch = new WriteBatch();
                for (int i = 0; i < keys.length; i++) {
                    if (present[i]) {
                        batch.put(KeySpace.key(keys[i]), format.value(keys[i], next[i].version()));
                    } else {
                        batch.delete(KeySpace.key(keys[i]));
                    }
                }
                db.write(batch, writeOptions);
            }
            for (int i = 0; i < keys.length; i++) {
                state.setAcked(keys[i], next[i]);
            }
            for (int key : keys) {
                state.clearPending(key);
            }
        }
    }

    private void batch() {
        int n = Math.min(keys, 2 + rnd.nextInt(MAX_BATCH_KEYS - 1));
        int[] batchKeys = rnd.ints(0, keys).distinct().limit(n).toArray();
        boolean[] present = new boolean[n];
        for (int i = 0; i < n; i++) {
            present[i] = rnd.nextInt(4) != 0;
        }
        write(batchKeys, present);
    }

    /** A range scan with the range locked: it must show exactly the acked states. */
    private void scan() {
        int from = rnd.nextInt(keys);
        int to = Math.min(keys, from + 1 + rnd.nextInt(MAX_SCAN_KEYS));
        try (KeyLocks.Held h = locks.lockRange(from, to)) {
            KeyState[] expected = ackedStates(from, to);
            try (StrataIterator it =
                    db.iterator(new ReadOptions().lowerBound(KeySpace.key(from)).upperBound(KeySpace.key(to)))) {
                it.seekToFirst();
                RangeRead.read(it, from, to, format)
                        .requireExactly("a scan of keys " + from + ".." + (to - 1), expected, format);
            }
        }
    }

    private void snapshot() {
        releaseSnapshot();
        int from = rnd.nextInt(keys);
        int to = Math.min(keys, from + 1 + rnd.nextInt(MAX_SNAPSHOT_KEYS));
        try (KeyLocks.Held h = locks.lockRange(from, to)) {
            held = new HeldSnapshot(db.snapshot(), from, ackedStates(from, to));
        }
    }

    /** Checks the held snapshot with a get of each of its keys and a scan, then closes it. */
    private void releaseSnapshot() {
        if (held == null) {
            return;
        }
        int from = held.from();
        int to = from + held.expected().length;
        ReadOptions read = new ReadOptions().snapshot(held.snapshot());
        String what = "a read through a snapshot (at store sequence "
                + held.snapshot().sequence() + ") of keys " + from + ".." + (to - 1);
        for (int key = from; key < to; key++) {
            Found found = Found.of(format, key, db.get(KeySpace.key(key), read));
            KeyState expected = held.expected()[key - from];
            if (!expected.matches(found)) {
                throw new StressFailure(what + ": a get of key " + KeySpace.describe(KeySpace.key(key)) + ": expected "
                        + expected.describe(format, key) + ", found " + found.describe());
            }
        }
        try (StrataIterator it = db.iterator(new ReadOptions()
                .snapshot(held.snapshot())
                .lowerBound(KeySpace.key(from))
                .upperBound(KeySpace.key(to)))) {
            it.seekToFirst();
            RangeRead.read(it, from, to, format).requireExactly(what + ": a scan", held.expected(), format);
        }
        held.snapshot().close();
        held = null;
    }

    private KeyState[] ackedStates(int from, int to) {
        KeyState[] states = new KeyState[to - from];
        for (int key = from; key < to; key++) {
            states[key - from] = state.acked(key);
        }
        return states;
    }
}
