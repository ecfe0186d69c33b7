package io.strata.db;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.strata.WriteBatch;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit. Callers queue their batches; the writer at the head of the queue is the leader.
 * The leader makes room for the write ({@link Env#prepare}), takes the batches queued behind it,
 * numbers their entries from {@link #lastSequence()} + 1 in queue order, appends them to the log as
 * one record, syncs the log once if any of them asked, inserts the record into the memtable,
 * publishes the group's last sequence, wakes the group's writers, and hands the lead to the next
 * writer in the queue.
 *
 * <p>Invariants, and why:
 *
 * <ul>
 *   <li>Only the leader calls the {@link Env}, one group at a time: being at the head of the queue
 *       is what gives it sole use of the log and of memtable inserts (the memtable takes one writer
 *       at a time). The pipeline's lock guards only the queue and is never held while the Env
 *       runs, so writers keep joining the queue while the leader does I/O or waits for room.
 *   <li>Sequences are given out in queue order and published only after the whole group is in the
 *       memtable, so {@link #lastSequence()} only grows, and a reader that reads at it sees every
 *       batch up to it whole (a batch is atomic) and nothing of a later one.
 *   <li>A group is a prefix of the queue, so writers finish in the order they queued: a writer is
 *       done once its ticket is below {@link #finishedBelow}.
 *   <li>A failed append, sync or insert fails exactly the writers of that group, each with the
 *       error {@link Env#failed} makes of it; the writers queued behind lead groups of their own.
 *       A failed {@link Env#prepare} fails the leader alone (no group was formed yet).
 *   <li>A swap request ({@link #swap}) is a writer without a batch: it is never grouped, so writes
 *       queued before it go to the old memtable and writes queued after it to the new one.
 *   <li>Batch markers ({@link WriteBatch#marker}) are checked as their writers join the queue
 *       ({@link MarkerOrder}, under the lock), so they never decrease in sequence order, and the
 *       group's newest marker reaches {@link Env#apply} with the group's record.
 * </ul>
 *
 * <p>Replication (the cluster issue) commits the entries of its log through this same pipeline,
 * with an {@link Env} whose append and sync write nothing: the Raft log is then the only log, and
 * ordering, atomicity and publication stay as they are here.
 *
 * @param <T> what {@link Env#prepare} hands the leader for one group: where its record goes
 */
final class CommitPipeline<T> {
    /** A group stops growing past this many bytes, so one big group does not delay small writes long. */
    static final int MAX_GROUP_BYTES = 1 << 20;

    /**
     * What the pipeline needs from the store. Every method is called by the leader alone, without
     * the pipeline's lock.
     */
    interface Env<T> {
        /**
         * Makes room for the next group, or, when {@code swap}, makes the active memtable
         * immutable (if it holds anything) and starts a new one. May wait (for a flush, say).
         * Throws to fail the leader.
         *
         * @return where the group goes (the log and memtable it is written to)
         */
        T prepare(boolean swap);

        /** Appends one record to the log. */
        void append(T target, byte[] record) throws IOException;

        /** Makes what was appended durable. */
        void sync(T target) throws IOException;

        /**
         * Inserts every entry of a record into the memtable; {@code marker} is the marker of the
         * group's newest batch that has one, or null.
         */
        void apply(T target, byte[] record, byte[] marker);

        /**
         * The error the group's writers get for a failed append ({@code syncing} false) or sync; it
         * may also stop further writes.
         */
        RuntimeException failed(T target, IOException cause, boolean syncing);
    }

    /** A caller in the queue. Immutable: what changes about it is kept in the pipeline. */
    private static final class Writer {
        /** Null for a swap request. */
        final WriteBatch batch;

        final boolean sync;
        /** The batch's marker (a copy), or null. */
        final byte[] marker;
        /** Its place in the queue: tickets are given out in queue order. */
        final long ticket;

        /** Signalled when the writer is done or has become the leader. */
        final Condition wakeup;

        Writer(WriteBatch batch, boolean sync, byte[] marker, long ticket, Condition wakeup) {
            this.batch = batch;
            this.sync = sync;
            this.marker = marker;
            this.ticket = ticket;
            this.wakeup = wakeup;
        }
    }

    private final Env<T> env;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when the queue becomes empty. */
    private final Condition drained = lock.newCondition();

    /** The head is the leader. */
    @GuardedBy("lock")
    private final ArrayDeque<Writer> queue = new ArrayDeque<>();

    /**
     * The queue's length, written with the lock held whenever it changes: the leader reads it
     * without the lock to see that it is alone (then no one else can join its group, and a writer
     * that queues just after the read waits for the next group).
     */
    private volatile int queueLength;

    /** The ticket of the next writer to queue. */
    @GuardedBy("lock")
    private long nextTicket;

    /** Every writer whose ticket is below this one is done. */
    @GuardedBy("lock")
    private long finishedBelow;

    @GuardedBy("lock")
    private final MarkerOrder markers;

    /** The error of each done writer whose group failed, until that writer takes it. */
    @GuardedBy("lock")
    private final IdentityHashMap<Writer, RuntimeException> failures = new IdentityHashMap<>();

    /** The newest sequence whose batch is in the memtable and visible. Written by the leader alone. */
    private volatile long lastSequence;

    /** Bytes of the records committed (logged and applied). */
    private final LongAdder bytesCommitted = new LongAdder();

    /** {@code marker}: the newest marker the store holds, which later batches must not go below (or null). */
    CommitPipeline(Env<T> env, long lastSequence, byte[] marker) {
        this.env = env;
        this.lastSequence = lastSequence;
        this.markers = new MarkerOrder(marker);
    }

    /** The newest visible sequence: every batch at or below it is wholly in the memtable. */
    long lastSequence() {
        return lastSequence;
    }

    /** Bytes of every record committed so far. */
    long bytesCommitted() {
        return bytesCommitted.sum();
    }

    /**
     * Commits {@code batch} (not empty, or with a marker): returns once it is logged (and synced,
     * when {@code sync}), in the memtable and visible; or throws, and then none of it is visible.
     *
     * @throws IllegalArgumentException if its marker is below one committed before it
     */
    void commit(WriteBatch batch, boolean sync) {
        run(batch, sync);
    }

    /** Makes the active memtable immutable, in queue order (see {@link Env#prepare}). */
    void swap() {
        run(null, false);
    }

    /** How many writers are queued now, the leader among them (for tests). */
    int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until no writer is queued. */
    void awaitDrained() {
        lock.lock();
        try {
            while (!queue.isEmpty()) {
                drained.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    private void run(WriteBatch batch, boolean sync) {
        byte[] marker = batch == null ? null : batch.marker();
        Writer w;
        lock.lock();
        try {
            markers.accept(marker);
            w = new Writer(batch, sync, marker, nextTicket++, lock.newCondition());
            queue.addLast(w);
            queueLength = queue.size();
            while (w.ticket >= finishedBelow && queue.peekFirst() != w) {
                w.wakeup.awaitUninterruptibly();
            }
            if (w.ticket < finishedBelow) {
                RuntimeException error = failures.remove(w);
                if (error != null) {
                    throw error;
                }
                return;
            }
        } finally {
            lock.unlock();
        }
        lead(w);
    }

    /**
     * Runs one group with {@code leader} at the head of the queue, then hands on the lead. Called
     * without the lock: the leader stays at the head until {@link #finish}, so nobody else leads.
     */
    private void lead(Writer leader) {
        List<Writer> group = List.of(leader);
        RuntimeException error = null;
        try {
            T target = env.prepare(leader.batch == null);
            if (leader.batch != null) {
                group = takeGroup(leader);
                write(group, target);
            }
        } catch (RuntimeException e) {
            error = e;
        }
        finish(group, error);
        if (error != null) {
            throw error;
        }
    }

    /** The writers from the head on that form one group: batches, up to {@link #MAX_GROUP_BYTES}. */
    private List<Writer> takeGroup(Writer leader) {
        if (queueLength == 1) {
            return List.of(leader); // alone, as with one writing thread: no lock needed
        }
        List<Writer> group = new ArrayList<>();
        lock.lock();
        try {
            long bytes = 0;
            for (Writer w : queue) {
                if (w.batch == null || (!group.isEmpty() && bytes + w.batch.encodedSize() > MAX_GROUP_BYTES)) {
                    break;
                }
                group.add(w);
                bytes += w.batch.encodedSize();
            }
        } finally {
            lock.unlock();
        }
        return group;
    }

    /** Logs the group as one record, inserts it, and publishes its last sequence. */
    private void write(List<Writer> group, T target) {
        int size = 0;
        boolean sync = false;
        byte[] marker = null;
        for (Writer w : group) {
            size += w.batch.encodedSize();
            sync |= w.sync;
            marker = w.marker != null ? w.marker : marker;
        }
        byte[] record = new byte[size];
        long seq = lastSequence + 1;
        int off = 0;
        for (Writer w : group) {
            w.batch.encodeInto(record, off, seq);
            off += w.batch.encodedSize();
            seq += w.batch.count();
        }
        try {
            env.append(target, record);
        } catch (IOException e) {
            throw env.failed(target, e, false);
        }
        if (sync) {
            try {
                env.sync(target);
            } catch (IOException e) {
                throw env.failed(target, e, true);
            }
        }
        env.apply(target, record, marker);
        bytesCommitted.add(record.length);
        lastSequence = seq - 1;
    }

    /**
     * Takes the group off the queue, marks its writers done (with the group's error), and wakes
     * them and the next leader.
     */
    private void finish(List<Writer> group, RuntimeException error) {
        lock.lock();
        try {
            Writer leader = group.get(0);
            for (Writer w : group) {
                queue.removeFirst();
                if (w != leader) {
                    if (error != null) {
                        failures.put(w, error);
                    }
                    w.wakeup.signal();
                }
            }
            queueLength = queue.size();
            finishedBelow = group.get(group.size() - 1).ticket + 1;
            Writer next = queue.peekFirst();
            if (next != null) {
                next.wakeup.signal();
            } else {
                drained.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }
}
