package io.strata.iterator;

import io.strata.key.InternalKey;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A k-way merge of child iterators into one stream in internal-key order. Children are given
 * newest source first; equal keys (which a consistent set of sources does not produce) come
 * out in that order. Closing the merge closes every child.
 */
public final class MergingIterator implements InternalIterator {
    private record Child(InternalIterator it, int rank) {}

    private final List<Child> children;
    private final PriorityQueue<Child> heap;

    public MergingIterator(List<InternalIterator> sources) {
        this.children = new ArrayList<>(sources.size());
        for (int i = 0; i < sources.size(); i++) {
            children.add(new Child(sources.get(i), i));
        }
        this.heap = new PriorityQueue<>(Math.max(1, sources.size()), (a, b) -> {
            int c = InternalKey.compare(a.it().key(), b.it().key());
            return c != 0 ? c : Integer.compare(a.rank(), b.rank());
        });
    }

    @Override
    public boolean valid() {
        return !heap.isEmpty();
    }

    @Override
    public void seekToFirst() {
        heap.clear();
        for (Child c : children) {
            c.it().seekToFirst();
            if (c.it().valid()) {
                heap.add(c);
            }
        }
    }

    @Override
    public void seek(byte[] target) {
        heap.clear();
        for (Child c : children) {
            c.it().seek(target);
            if (c.it().valid()) {
                heap.add(c);
            }
        }
    }

    @Override
    public void next() {
        Child c = heap.poll();
        c.it().next();
        if (c.it().valid()) {
            heap.add(c);
        }
    }

    @Override
    public byte[] key() {
        return heap.peek().it().key();
    }

    @Override
    public byte[] value() {
        return heap.peek().it().value();
    }

    @Override
    public void close() {
        heap.clear();
        for (Child c : children) {
            c.it().close();
        }
    }
}
