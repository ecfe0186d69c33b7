package io.strata.iterator;

import io.strata.key.InternalKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * A k-way merge of child iterators into one stream in internal-key order, either way. Children
 * are given newest source first; equal keys (which a consistent set of sources does not produce)
 * come out in that order forwards. Closing the merge closes every child.
 *
 * <p>Invariant, between calls: the heap of the direction of the last move holds every valid
 * child, and its top is the current entry. Moving forwards, every other child stands at its
 * first entry after the current one, or is not valid when it has none; moving backwards, at its
 * last entry before it, or not valid. So a change of direction steps each other child once
 * (or, when not valid, puts it at its far end) rather than seeking it, and a step in either
 * direction moves one child. Both hold only because keys are distinct across children.
 */
public final class MergingIterator implements InternalIterator {
    private record Child(InternalIterator it, int rank) {}

    private static final Comparator<Child> ORDER = (a, b) -> {
        int c = InternalKey.compare(a.it().key(), b.it().key());
        return c != 0 ? c : Integer.compare(a.rank(), b.rank());
    };

    private final List<Child> children;
    /** Smallest key on top, for moving forwards. */
    private final PriorityQueue<Child> forward;
    /** Largest key on top, for moving backwards. */
    private final PriorityQueue<Child> backward;
    /** {@link #forward} or {@link #backward}: the direction of the last move. */
    private PriorityQueue<Child> heap;

    public MergingIterator(List<InternalIterator> sources) {
        this.children = new ArrayList<>(sources.size());
        for (int i = 0; i < sources.size(); i++) {
            children.add(new Child(sources.get(i), i));
        }
        int capacity = Math.max(1, sources.size());
        this.forward = new PriorityQueue<>(capacity, ORDER);
        this.backward = new PriorityQueue<>(capacity, ORDER.reversed());
        this.heap = forward;
    }

    @Override
    public boolean valid() {
        return !heap.isEmpty();
    }

    @Override
    public void seekToFirst() {
        restart(forward, InternalIterator::seekToFirst);
    }

    @Override
    public void seek(byte[] target) {
        restart(forward, it -> it.seek(target));
    }

    @Override
    public void seekToLast() {
        restart(backward, InternalIterator::seekToLast);
    }

    @Override
    public void next() {
        if (heap != forward) {
            turn(forward);
        }
        step(InternalIterator::next);
    }

    @Override
    public void prev() {
        if (heap != backward) {
            turn(backward);
        }
        step(InternalIterator::prev);
    }

    @Override
    public byte[] key() {
        return heap.peek().it().key();
    }

    @Override
    public byte[] value() {
        return heap.peek().it().value();
    }

    /** Positions every child with {@code position} and collects the valid ones into {@code into}. */
    private void restart(PriorityQueue<Child> into, Consumer<InternalIterator> position) {
        forward.clear();
        backward.clear();
        heap = into;
        for (Child c : children) {
            position.accept(c.it());
            if (c.it().valid()) {
                into.add(c);
            }
        }
    }

    /** Moves the current child, which stays where it was in the heap's order or leaves it. */
    private void step(Consumer<InternalIterator> move) {
        Child c = heap.poll();
        move.accept(c.it());
        if (c.it().valid()) {
            heap.add(c);
        }
    }

    /**
     * Changes direction at the current entry: every other child moves from the far side of it to
     * the near side (one step; from not valid, to its end on that side), so it stands where the
     * new direction's invariant wants it; the current child stays, and is the new top.
     */
    private void turn(PriorityQueue<Child> into) {
        Child current = heap.poll();
        boolean forwards = into == forward;
        heap.clear();
        for (Child c : children) {
            if (c.rank() == current.rank()) {
                continue;
            }
            InternalIterator it = c.it();
            if (it.valid()) {
                if (forwards) {
                    it.next();
                } else {
                    it.prev();
                }
            } else if (forwards) {
                it.seekToFirst();
            } else {
                it.seekToLast();
            }
            if (it.valid()) {
                into.add(c);
            }
        }
        into.add(current);
        heap = into;
    }

    @Override
    public void close() {
        forward.clear();
        backward.clear();
        for (Child c : children) {
            c.it().close();
        }
    }
}
