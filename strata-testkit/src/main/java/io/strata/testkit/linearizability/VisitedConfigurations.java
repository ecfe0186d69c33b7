package io.strata.testkit.linearizability;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The configurations the search has entered: which ops are linearized, the model's state, and
 * whether the last op linearized had no reply. What the search can do from a configuration depends
 * on these alone, so a configuration entered once (and left, as every one the search leaves has
 * failed) need not be entered again. The caller keeps a Zobrist hash of the bitset up to date, so a
 * probe costs no pass over the bitset unless the hashes match.
 */
final class VisitedConfigurations {
    private final Set<Configuration> visited = new HashSet<>();

    /** Adds the configuration (copying {@code linearized}) unless it is there already; returns whether it was new. */
    boolean add(long[] linearized, long linearizedHash, String value, boolean afterUnreplied) {
        Configuration probe = new Configuration(linearized, linearizedHash, value, afterUnreplied);
        if (visited.contains(probe)) {
            return false;
        }
        visited.add(new Configuration(linearized.clone(), linearizedHash, value, afterUnreplied));
        return true;
    }

    int size() {
        return visited.size();
    }

    /** The Zobrist key of op {@code index}: the hash of a set of ops is the XOR of its members' keys. */
    static long key(int index) {
        // SplitMix64's finaliser of the golden-ratio sequence: independent-looking 64-bit keys.
        long z = (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static final class Configuration {
        private final long[] linearized;
        private final String value;
        private final boolean afterUnreplied;
        private final int hash;

        Configuration(long[] linearized, long linearizedHash, String value, boolean afterUnreplied) {
            this.linearized = linearized;
            this.value = value;
            this.afterUnreplied = afterUnreplied;
            long h = linearizedHash ^ key(Objects.hashCode(value)) ^ (afterUnreplied ? 0x5851F42D4C957F2DL : 0);
            this.hash = (int) (h ^ (h >>> 32));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Configuration
                    && ((Configuration) o).hash == hash
                    && ((Configuration) o).afterUnreplied == afterUnreplied
                    && Objects.equals(((Configuration) o).value, value)
                    && Arrays.equals(((Configuration) o).linearized, linearized);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
