package io.strata.bench;

/**
 * readseq and readreverse: one cursor over a loaded store, forwards from the first key or
 * backwards from the last; each step is one timed operation, and each key must be the next
 * one expected, with its own value, and none may follow the last.
 */
record Scan(String name, boolean backwards) implements Workload {
    @Override
    public boolean fresh() {
        return false;
    }

    @Override
    public boolean leavesLoaded() {
        return true;
    }

    @Override
    public long run(Trial t) throws Exception {
        KeySpace keys = t.keys();
        int num = keys.num();
        long ops = t.parallel(1, num, salt(), (w, i) -> {
            StoreCursor c = w.cursor();
            if (i == 0) {
                if (backwards) {
                    c.seekToLast();
                } else {
                    c.seekToFirst();
                }
            } else if (backwards) {
                c.prev();
            } else {
                c.next();
            }
            long expected = backwards ? num - 1 - i : i;
            if (!c.valid()) {
                throw new WrongReadException(name + ": ended before key " + expected);
            }
            long found = keys.index(c.key());
            if (found != expected) {
                throw new WrongReadException(name + ": found key " + found + " where key " + expected + " belongs");
            }
            keys.checkFound(name, expected, c.value());
            if (i == num - 1) {
                if (backwards) {
                    c.prev();
                } else {
                    c.next();
                }
                if (c.valid()) {
                    throw new WrongReadException(name + ": a key follows the last one: " + keys.index(c.key()));
                }
            }
            return 1;
        });
        return ops;
    }
}
