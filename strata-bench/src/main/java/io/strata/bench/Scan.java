package io.strata.bench;

/**
 * readseq and readreverse: one cursor over a loaded store, forwards from the first key or
 * backwards from the last; each step is one timed operation, and each key must be the next
 * one expected, with its own value, and none may follow the last.
 */
record Scan(String name, boolean backwards) implements ReadWorkload {
    @Override
    public long run(Trial t) throws Exception {
        KeySpace keys = t.keys();
        int num = keys.num();
        return t.parallel(1, num, salt(), (w, i) -> {
            StoreCursor c = w.cursor();
            if (i > 0) {
                step(c);
            } else if (backwards) {
                c.seekToLast();
            } else {
                c.seekToFirst();
            }
            keys.checkAt(name, c, backwards ? num - 1 - i : i);
            if (i == num - 1) {
                step(c);
                if (c.valid()) {
                    throw new WrongReadException(name + ": a key follows the last one: " + keys.index(c.key()));
                }
            }
            return 1;
        });
    }

    private void step(StoreCursor c) throws Exception {
        if (backwards) {
            c.prev();
        } else {
            c.next();
        }
    }
}
