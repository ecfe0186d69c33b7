package io.strata.bench;

/** deleterandom: deletes every key of a loaded store, in a random order, leaving it empty. */
record DeleteRandom() implements Workload {
    @Override
    public String name() {
        return "deleterandom";
    }

    @Override
    public boolean fresh() {
        return false;
    }

    @Override
    public boolean leavesLoaded() {
        return false;
    }

    @Override
    public boolean writes() {
        return true;
    }

    /** A delete carries a key alone. */
    @Override
    public long bytesPerOp(BenchConfig c) {
        return c.keySize();
    }

    @Override
    public long run(Trial t) throws Exception {
        int[] order = t.keys().shuffled(t.config().seed() + salt());
        return t.parallel(t.threads(), order.length, salt(), (w, i) -> {
            t.store().delete(t.keys().key(order[(int) i]));
            return 1;
        });
    }

    @Override
    public void verify(Trial t) throws Exception {
        int num = t.keys().num();
        for (int s = 0; s < Math.min(num, Fill.VERIFY_SAMPLE); s++) {
            long index = (long) s * num / Math.min(num, Fill.VERIFY_SAMPLE);
            t.keys().checkAbsent(name(), index, t.store().get(t.keys().key(index)));
        }
    }
}
