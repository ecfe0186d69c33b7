package io.strata.bench;

/**
 * seekrandom over a loaded store: each operation seeks a cursor to a random present key and
 * takes the 10 keys after it; all 11 must be the keys expected (fewer at the end), with their
 * own values.
 */
record SeekRandom() implements ReadWorkload {
    static final int NEXTS = 10;

    @Override
    public String name() {
        return "seekrandom";
    }

    @Override
    public long run(Trial t) throws Exception {
        KeySpace keys = t.keys();
        int num = keys.num();
        return t.parallel(t.threads(), t.config().reads(), salt(), (w, i) -> {
            StoreCursor c = w.cursor();
            long start = w.rnd.nextInt(num);
            c.seek(keys.key(start));
            for (long expected = start; expected <= Math.min(num - 1, start + NEXTS); expected++) {
                if (expected > start) {
                    c.next();
                }
                keys.checkAt(name(), c, expected);
            }
            return 1;
        });
    }
}
