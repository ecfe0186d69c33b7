package io.strata.cluster;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.strata.StoreClosedException;
import io.strata.StrataDb;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * This node's engine, which a snapshot installation replaces: every use takes the read lock, the
 * replacement the write lock, so a command sees either the old engine or the new one, never one
 * being closed. An iterator or snapshot taken from the old engine fails once it is closed (the
 * command replies with an error; installations are rare: a follower that fell behind a purge).
 */
final class LocalEngine {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    @GuardedBy("lock")
    private StrataDb engine;

    LocalEngine(StrataDb engine) {
        this.engine = engine;
    }

    /** Runs {@code use} on the current engine, under the read lock. */
    <T> T read(Function<StrataDb, T> use) {
        lock.readLock().lock();
        try {
            if (engine == null) {
                throw new StoreClosedException("the store is closed");
            }
            return use.apply(engine);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Closes the current engine and opens its replacement, with no reader in between: the
     * replacement's data must be in place when {@code open} runs (it runs under the write lock).
     */
    void replace(Supplier<StrataDb> open) {
        lock.writeLock().lock();
        try {
            if (engine != null) {
                engine.close();
                engine = null;
            }
            engine = open.get();
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Closes the engine; later uses fail with {@link StoreClosedException}. Idempotent. */
    void close() {
        lock.writeLock().lock();
        try {
            if (engine != null) {
                engine.close();
                engine = null;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
