package io.strata.db;

import io.strata.fs.FaultInjectionFileSystem;
import io.strata.fs.FaultInjectionFileSystem.Op;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A slow device under the test's control: the first {@code limit} matching operations wait
 * until {@link #release()} (or a safety timeout, after which they fail), instead of sleeping
 * a fixed time that a loaded machine could make too short or too long. After
 * {@link #failOnRelease()} the held operations fail when released, so a store whose file
 * system has "crashed" meanwhile does not write through to the real files.
 */
final class BlockingFault implements FaultInjectionFileSystem.Fault {
    private static final long SAFETY_TIMEOUT_SECONDS = 60;

    private final Op op;
    private final Predicate<Path> which;
    private final int limit;
    private final AtomicInteger matched = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile boolean failOnRelease;

    /** Holds the first {@code limit} matching operations. */
    BlockingFault(Op op, Predicate<Path> which, int limit) {
        this.op = op;
        this.which = which;
        this.limit = limit;
    }

    /** Holds every matching operation until released. */
    BlockingFault(Op op, Predicate<Path> which) {
        this(op, which, Integer.MAX_VALUE);
    }

    @Override
    public void before(Op o, Path p) throws IOException {
        if (o != op || !which.test(p) || released.getCount() == 0 || matched.incrementAndGet() > limit) {
            return;
        }
        waiting.incrementAndGet();
        try {
            if (!released.await(SAFETY_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IOException("blocked " + op + " on " + p.getFileName() + " was never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while blocked", e);
        } finally {
            waiting.decrementAndGet();
        }
        if (failOnRelease) {
            throw new IOException("injected failure of " + op + " on " + p.getFileName() + " after a crash");
        }
    }

    /** Operations currently held. */
    int waiting() {
        return waiting.get();
    }

    void failOnRelease() {
        failOnRelease = true;
    }

    void release() {
        released.countDown();
    }
}
