package io.strata.bench;

/**
 * Gets of single keys over a loaded store: readrandom reads present keys, readmissing keys that
 * were never written. Both read {@code reads} keys in a random permutation (cycled), so that
 * with {@code reads >= num} every key is read and checked: a lost key fails the run.
 */
record PointRead(String name, boolean present) implements ReadWorkload {
    @Override
    public long run(Trial t) throws Exception {
        int[] order = t.keys().shuffled(t.config().seed() + salt());
        return t.parallel(t.threads(), t.config().reads(), salt(), (w, i) -> {
            read(t, order[(int) (i % order.length)]);
            return 1;
        });
    }

    /** Reads key {@code index} (of the present ones, or the missing one beside it) and checks it. */
    void read(Trial t, long index) throws Exception {
        KeySpace keys = t.keys();
        if (present) {
            keys.checkFound(name, index, t.store().get(keys.key(index)));
        } else {
            long missing = keys.num() + index;
            keys.checkAbsent(name, missing, t.store().get(keys.key(missing)));
        }
    }
}
