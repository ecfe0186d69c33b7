package io.strata.testkit.linearizability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The configurations the search has entered: the ops placed (those with a reply, and those
 * without), the model's state, and whether the last op placed had no reply. What the search can do
 * from a configuration depends on these alone, and a configuration entered once never needs to be
 * entered again: by then it either failed, or is being explored further up the stack.
 *
 * <p>Nor does one that an entered configuration <em>dominates</em>: the same ops with replies placed
 * and the same state, but of the ops without a reply a subset placed (the rest are still there to
 * place or leave out), and the after-unreplied restriction no stronger. Whatever completes the
 * dominated one completes the dominating one, so if that failed, so would this; if it is on the
 * stack, a completion shorter than the one through here (the unreplied ops between are left out)
 * is found from it. So each (ops with replies placed, state) keeps the unreplied sets it was entered
 * with, and a probe looks for one contained in its own.
 *
 * <p>The caller keeps a Zobrist hash of the placed ops with replies up to date (the XOR of their
 * {@link #key}s), so a probe costs no pass over the bitset unless the hashes match.
 */
final class VisitedConfigurations {
    /** Per (ops with replies placed, state): each time it was entered, the unreplied ops placed and the flag. */
    private final Map<Placement, List<Entered>> visited = new HashMap<>();

    private int size;

    /**
     * Records the configuration (copying the bitsets) unless an entered one dominates it; returns
     * whether it was recorded, that is, whether the search should enter it.
     */
    boolean enter(long[] replied, long repliedHash, long[] unreplied, String value, boolean afterUnreplied) {
        List<Entered> entered = visited.get(new Placement(replied, repliedHash, value));
        if (entered == null) {
            entered = new ArrayList<>(1);
            visited.put(new Placement(replied.clone(), repliedHash, value), entered);
        }
        for (Entered e : entered) {
            if (e.dominates(unreplied, afterUnreplied)) {
                return false;
            }
        }
        entered.add(new Entered(unreplied.clone(), afterUnreplied));
        size++;
        return true;
    }

    /** How many configurations were entered. */
    int size() {
        return size;
    }

    /** The Zobrist key of op {@code index}: the hash of a set of ops is the XOR of its members' keys. */
    static long key(int index) {
        // SplitMix64's finaliser of the golden-ratio sequence: independent-looking 64-bit keys.
        long z = (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private record Entered(long[] unreplied, boolean afterUnreplied) {
        boolean dominates(long[] otherUnreplied, boolean otherAfterUnreplied) {
            if (afterUnreplied && !otherAfterUnreplied) {
                return false;
            }
            for (int w = 0; w < unreplied.length; w++) {
                if ((unreplied[w] & ~otherUnreplied[w]) != 0) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final class Placement {
        private final long[] replied;
        private final String value;
        private final int hash;

        Placement(long[] replied, long repliedHash, String value) {
            this.replied = replied;
            this.value = value;
            long h = repliedHash ^ key(Objects.hashCode(value));
            this.hash = (int) (h ^ (h >>> 32));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Placement other
                    && other.hash == hash
                    && Objects.equals(other.value, value)
                    && Arrays.equals(other.replied, replied);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
