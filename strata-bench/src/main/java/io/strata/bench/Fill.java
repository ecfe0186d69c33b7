package io.strata.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes keys: fillseq (in key order), fillrandom (a random permutation, so every key is written
 * once), overwrite (the same over a loaded store), fillbatch (key order, {@code batchSize} keys
 * per atomic batch) and fillsync (random, every write fsynced, num / 1000 keys as db_bench's).
 * With several threads each writes its slice of the order.
 */
record Fill(String name, boolean random, boolean fresh, boolean batched, boolean sync) implements Workload {
    /** Keys checked after the timed part. */
    static final int VERIFY_SAMPLE = 1000;

    long keysWritten(BenchConfig c) {
        return sync ? Math.max(1, c.num() / 1000) : c.num();
    }

    @Override
    public boolean leavesLoaded() {
        return !sync; // fillsync writes a thousandth of the keys
    }

    @Override
    public boolean writes() {
        return true;
    }

    private int[] order(Trial t) {
        return random ? t.keys().shuffled(t.config().seed() + salt()) : null;
    }

    private static long at(int[] order, long i) {
        return order == null ? i : order[(int) i];
    }

    @Override
    public long run(Trial t) throws Exception {
        int[] order = order(t);
        long keys = keysWritten(t.config());
        int batch = batched ? t.config().batchSize() : 1;
        BenchStore store = t.store();
        return t.parallel(t.threads(), (keys + batch - 1) / batch, salt(), (w, call) -> {
            if (batch == 1) {
                long index = at(order, call);
                store.put(t.keys().key(index), w.value(index));
                return 1;
            }
            List<byte[]> ks = new ArrayList<>(batch);
            List<byte[]> vs = new ArrayList<>(batch);
            for (long i = call * batch; i < Math.min(keys, (call + 1) * batch); i++) {
                long index = at(order, i);
                ks.add(t.keys().key(index));
                vs.add(w.value(index));
            }
            store.putBatch(ks, vs);
            return ks.size();
        });
    }

    @Override
    public void verify(Trial t) throws Exception {
        int[] order = order(t);
        long keys = keysWritten(t.config());
        for (int s = 0; s < Math.min(keys, VERIFY_SAMPLE); s++) {
            long index = at(order, s * keys / Math.min(keys, VERIFY_SAMPLE));
            t.keys().checkFound(name, index, t.store().get(t.keys().key(index)));
        }
    }
}
