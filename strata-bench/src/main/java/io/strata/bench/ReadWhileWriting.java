package io.strata.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * readwhilewriting over a loaded store: the step's threads read as readrandom does (and are what
 * is measured) while one writer overwrites random keys at {@code writeRate} writes per second,
 * each with a value of its own key, so that every read still finds its key's value.
 */
record ReadWhileWriting() implements ReadWorkload {
    private static final PointRead READ = new PointRead("readwhilewriting", true);

    @Override
    public String name() {
        return "readwhilewriting";
    }

    @Override
    public long run(Trial t) throws Exception {
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        // Set by this thread once the readers are done; the writer reads it before each write.
        AtomicBoolean done = new AtomicBoolean();
        Thread writer = new Thread(() -> write(t, done, writerFailure), "bench-writer");
        writer.start();
        long ops;
        try {
            int[] order = t.keys().shuffled(t.config().seed() + salt());
            ops = t.parallel(t.threads(), t.config().reads(), salt(), (w, i) -> {
                READ.read(t, order[(int) (i % order.length)]);
                return 1;
            });
        } finally {
            done.set(true);
            writer.join();
        }
        Throwable e = writerFailure.get();
        if (e != null) {
            throw new IllegalStateException("readwhilewriting's writer failed", e);
        }
        return ops;
    }

    private static void write(Trial t, AtomicBoolean done, AtomicReference<Throwable> failure) {
        KeySpace keys = t.keys();
        SplittableRandom rnd = new SplittableRandom(t.config().seed() - 1);
        ValueFiller filler = new ValueFiller(rnd.split(), t.config().compressionRatio());
        long interval = TimeUnit.SECONDS.toNanos(1) / Math.max(1, t.config().writeRate());
        long next = System.nanoTime();
        try {
            while (!done.get()) {
                long index = rnd.nextInt(keys.num());
                t.store().put(keys.key(index), keys.value(index, filler));
                next += interval;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
        } catch (Throwable e) {
            failure.set(e);
        }
    }
}
