package io.strata.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * One measured workload over one open store: runs its calls on worker threads, timing each call
 * into the worker's own histogram (in nanoseconds), and merges them afterwards.
 */
final class Trial {
    /** Up to an hour per call, 3 significant digits. */
    private static final long MAX_NANOS = 3_600_000_000_000L;

    private final BenchStore store;
    private final BenchConfig config;
    private final KeySpace keys;
    private final int threads;
    // Written by parallel() after joining the workers that filled them; read after it returns.
    private final Histogram latency = new Histogram(MAX_NANOS, 3);

    Trial(BenchStore store, BenchConfig config, int threads) {
        this.store = store;
        this.config = config;
        this.keys = new KeySpace(config.num(), config.keySize(), config.valueSize());
        this.threads = threads;
    }

    BenchStore store() {
        return store;
    }

    BenchConfig config() {
        return config;
    }

    KeySpace keys() {
        return keys;
    }

    /** The threads the step asked for. */
    int threads() {
        return threads;
    }

    /** Every timed call so far, in nanoseconds. */
    Histogram latency() {
        return latency;
    }

    /** One call of a workload: {@code i} is its number in {@code [0, count)}; returns the operations it did. */
    interface Call {
        long run(Worker w, long i) throws Exception;
    }

    /** A worker thread's own random source, value filler and (lazily) cursor. */
    final class Worker implements AutoCloseable {
        final int thread;
        final SplittableRandom rnd;
        private final ValueFiller filler;
        private StoreCursor cursor;

        Worker(int thread, long salt) {
            this.thread = thread;
            this.rnd = new SplittableRandom(config.seed() * 31 + salt * 7919 + thread);
            this.filler = new ValueFiller(rnd.split(), config.compressionRatio());
        }

        byte[] value(long index) {
            return keys.value(index, filler);
        }

        /** This worker's cursor, opened on first use and closed with the worker. */
        StoreCursor cursor() throws Exception {
            if (cursor == null) {
                cursor = store.cursor();
            }
            return cursor;
        }

        @Override
        public void close() throws Exception {
            if (cursor != null) {
                cursor.close();
            }
        }
    }

    /**
     * Runs calls {@code [0, count)} on {@code n} threads, each taking a contiguous slice, each
     * call timed; returns the operations done. The first failure stops every thread and is
     * thrown. {@code salt} makes the workers' random sources differ between workloads.
     */
    long parallel(int n, long count, long salt, Call call) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long[] ops = new long[n];
        List<Histogram> histograms = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            int thread = t;
            Histogram h = new Histogram(MAX_NANOS, 3);
            histograms.add(h);
            long from = count * t / n;
            long to = count * (t + 1) / n;
            workers.add(new Thread(
                    () -> {
                        try (Worker w = new Worker(thread, salt)) {
                            for (long i = from; i < to && failure.get() == null; i++) {
                                long t0 = System.nanoTime();
                                ops[thread] += call.run(w, i);
                                h.recordValue(Math.min(MAX_NANOS, Math.max(1, System.nanoTime() - t0)));
                            }
                        } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                        }
                    },
                    "bench-" + t));
        }
        workers.forEach(Thread::start);
        for (Thread w : workers) {
            w.join();
        }
        Throwable e = failure.get();
        if (e instanceof Exception ex) {
            throw ex;
        } else if (e != null) {
            throw new IllegalStateException(e);
        }
        histograms.forEach(latency::add);
        long total = 0;
        for (long o : ops) {
            total += o;
        }
        return total;
    }
}
