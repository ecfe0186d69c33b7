package io.strata.cluster;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.strata.WriteBatch;
import io.strata.server.replication.ReplicationException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Gathers the writes that commands propose at the same time into few Raft entries, as the
 * engine's commit pipeline gathers writes into few WAL syncs. At most {@code maxInFlight} entries
 * are proposed and not yet answered at once; a write that arrives while that many are in flight
 * waits here, and the next entry carries every waiting write of the same evaluation term (up to
 * {@link #MAX_ENTRY_BATCH_BYTES}), in the order they came. Under a light load a write is proposed
 * at once, alone; under a heavy one an entry carries many, and Ratis's costs per entry (the log
 * append and its sync, an appendEntries per follower, the commit, the apply, the reply) are paid
 * once per group, not once per command.
 *
 * <p>Why merging writes is safe: each command is evaluated under the stripe locks of its keys and
 * holds them until its entry is applied, exclusively if it reads what it writes, so writes
 * waiting together either touch disjoint keys or are blind writes (which read nothing) of the
 * same key; applying them as one batch, in the order they came, gives every key what its own
 * command wrote, the later blind write of a key winning as it would one entry later. Only writes
 * of the same evaluation term are merged, so the term check at apply refuses or applies all of an entry's
 * writes alike, as it would have each alone. A merged entry is applied atomically: it cannot
 * leave some of its writes applied and others not.
 *
 * <p>Who proposes: the command thread that finds a free slot takes the waiting writes (its own,
 * and those of threads still waiting) and submits them, outside the lock; a slot is freed when its
 * entry is answered, or given up after {@code replyTimeoutMs} (its writes then report an unknown
 * outcome), so a reply that never comes cannot stop every later write. Each writer then waits for
 * the reply of the entry that carried it, which answers all of that entry's writes alike.
 *
 * <p>Thread-safe: {@link #lock} guards the queue and the count of entries in flight.
 *
 * @param <R> the reply to an entry (Ratis's client reply; tests use their own)
 */
final class ProposalQueue<R> {
    /** The most bytes of writes one merged entry carries (a single larger write still goes alone). */
    static final int MAX_ENTRY_BATCH_BYTES = 4 << 20;

    /** Proposes one entry; the future completes with its reply once it is committed and applied here. */
    interface Submitter<R> {
        CompletableFuture<R> submit(WriteEntry entry) throws IOException;
    }

    private final Submitter<R> submitter;
    private final int maxInFlight;
    private final long replyTimeoutMs;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a slot frees: a waiting writer may then propose. */
    private final Condition slotFreed = lock.newCondition();

    @GuardedBy("lock")
    private final ArrayDeque<Proposal<R>> waiting = new ArrayDeque<>();

    @GuardedBy("lock")
    private int inFlight;

    ProposalQueue(Submitter<R> submitter, int maxInFlight, long replyTimeoutMs) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight " + maxInFlight + " < 1");
        }
        this.submitter = submitter;
        this.maxInFlight = maxInFlight;
        this.replyTimeoutMs = replyTimeoutMs;
    }

    /**
     * Proposes {@code batch}, evaluated in {@code term} at leader time {@code timeMillis}, and
     * returns the future of the reply to the entry that carries it. Returns once the write has
     * been submitted (alone or with others).
     *
     * <p>The future fails with a {@link ReplicationException} saying that nothing was written if
     * Ratis refused the entry, and with a {@link java.util.concurrent.TimeoutException} if no reply
     * came within the reply timeout (the outcome is then unknown).
     *
     * @throws ReplicationException TRYAGAIN if it could not be submitted before {@code deadlineNanos}
     *     ({@link System#nanoTime()}) or the thread was interrupted: then nothing was written
     */
    CompletableFuture<R> propose(long term, long timeMillis, WriteBatch batch, long deadlineNanos) {
        Proposal<R> mine = new Proposal<>(term, timeMillis, batch);
        lock.lock();
        try {
            waiting.addLast(mine);
            while (!mine.taken) {
                if (inFlight < maxInFlight) {
                    List<Proposal<R>> group = takeGroup();
                    inFlight++;
                    lock.unlock();
                    try {
                        submit(group);
                    } finally {
                        lock.lock();
                    }
                    continue;
                }
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    waiting.remove(mine);
                    throw new ReplicationException("TRYAGAIN the leader had " + inFlight
                            + " entries waiting to commit and could not propose this write in time; nothing"
                            + " was written");
                }
                slotFreed.awaitNanos(left);
            }
            return mine.reply;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (!mine.taken) {
                waiting.remove(mine);
                throw new ReplicationException(
                        "TRYAGAIN interrupted before the write was proposed; nothing was " + "written", e);
            }
            return mine.reply;
        } finally {
            lock.unlock();
        }
    }

    /** Writes waiting for a slot now. */
    int waiting() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    /** The waiting writes the next entry carries: the oldest, and those after it of its term that fit. */
    @GuardedBy("lock")
    private List<Proposal<R>> takeGroup() {
        assert lock.isHeldByCurrentThread();
        List<Proposal<R>> group = new ArrayList<>();
        long term = waiting.peekFirst().term;
        long bytes = 0;
        while (!waiting.isEmpty()) {
            Proposal<R> next = waiting.peekFirst();
            long size = next.batch.encodedSize();
            if (next.term != term || (!group.isEmpty() && bytes + size > MAX_ENTRY_BATCH_BYTES)) {
                break;
            }
            waiting.removeFirst();
            next.taken = true;
            group.add(next);
            bytes += size;
        }
        return group;
    }

    /** Proposes one entry holding {@code group}'s writes; every member's future gets its reply. */
    private void submit(List<Proposal<R>> group) {
        Proposal<R> first = group.get(0);
        WriteBatch merged = first.batch;
        long time = first.timeMillis;
        if (group.size() > 1) {
            merged = new WriteBatch();
            for (Proposal<R> p : group) {
                merged.append(p.batch);
                time = Math.max(time, p.timeMillis);
            }
        }
        CompletableFuture<R> answered;
        try {
            answered = submitter.submit(WriteEntry.batch(first.term, time, merged));
        } catch (IOException | RuntimeException e) {
            answered = CompletableFuture.failedFuture(new ReplicationException(
                    "TRYAGAIN this node cannot propose the write: " + e.getMessage() + "; nothing was written", e));
        }
        // The callback only frees the slot and completes the writers' futures: nothing in it throws.
        var unused = answered.copy()
                .orTimeout(replyTimeoutMs, TimeUnit.MILLISECONDS)
                .whenComplete((reply, error) -> answer(group, reply, error));
    }

    private void answer(List<Proposal<R>> group, R reply, Throwable error) {
        freeSlot();
        for (Proposal<R> p : group) {
            if (error != null) {
                p.reply.completeExceptionally(error);
            } else {
                p.reply.complete(reply);
            }
        }
    }

    private void freeSlot() {
        lock.lock();
        try {
            inFlight--;
            slotFreed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** One command's writes, waiting to be proposed and then for their entry's reply. */
    private static final class Proposal<R> {
        final long term;
        final long timeMillis;
        final WriteBatch batch;
        /** Completed by the entry that carries this write. */
        final CompletableFuture<R> reply = new CompletableFuture<>();
        /** Set once an entry has taken this write. Guarded by the queue's lock (ProposalQueue.lock). */
        boolean taken;

        Proposal(long term, long timeMillis, WriteBatch batch) {
            this.term = term;
            this.timeMillis = timeMillis;
            this.batch = batch;
        }
    }
}
