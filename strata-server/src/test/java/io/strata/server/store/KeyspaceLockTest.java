package io.strata.server.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Who waits for whom on a key's stripe: blind writes share it, every other write has it alone. */
class KeyspaceLockTest {
    private static final List<byte[]> KEY = List.of("k".getBytes(UTF_8));

    /** No store is touched: locking needs none. */
    private final Keyspace ks = new Keyspace(null, () -> 0L);

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    /** Takes a lock on another thread and holds it until {@code release} opens; the future completes once taken. */
    private Future<?> holdOnAnotherThread(boolean blind, CountDownLatch taken, CountDownLatch release) {
        return threads.submit(() -> {
            try (Keyspace.Locked ignored = blind ? ks.lockBlind(KEY) : ks.lock(KEY)) {
                taken.countDown();
                release.await(30, TimeUnit.SECONDS);
            }
            return null;
        });
    }

    private static boolean takenWithin(CountDownLatch taken, long millis) throws InterruptedException {
        return taken.await(millis, TimeUnit.MILLISECONDS);
    }

    @Test
    void blindWritesOfOneKeyDoNotWaitForEachOther() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(1);
        Future<?> a = holdOnAnotherThread(true, first, release);
        assertThat(takenWithin(first, 10_000)).isTrue();

        Future<?> b = holdOnAnotherThread(true, second, release);

        assertThat(takenWithin(second, 2_000)).isTrue();
        release.countDown();
        a.get(10, TimeUnit.SECONDS);
        b.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aReadModifyWriteWaitsForABlindWriteOfItsKey() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blind = new CountDownLatch(1);
        CountDownLatch exclusive = new CountDownLatch(1);
        Future<?> a = holdOnAnotherThread(true, blind, release);
        assertThat(takenWithin(blind, 10_000)).isTrue();

        Future<?> b = holdOnAnotherThread(false, exclusive, new CountDownLatch(0));

        assertThat(takenWithin(exclusive, 200)).isFalse();
        release.countDown();
        assertThat(takenWithin(exclusive, 10_000)).isTrue();
        a.get(10, TimeUnit.SECONDS);
        b.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aBlindWriteWaitsForAReadModifyWriteOfItsKey() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch exclusive = new CountDownLatch(1);
        CountDownLatch blind = new CountDownLatch(1);
        Future<?> a = holdOnAnotherThread(false, exclusive, release);
        assertThat(takenWithin(exclusive, 10_000)).isTrue();

        Future<?> b = holdOnAnotherThread(true, blind, new CountDownLatch(0));

        assertThat(takenWithin(blind, 200)).isFalse();
        release.countDown();
        assertThat(takenWithin(blind, 10_000)).isTrue();
        a.get(10, TimeUnit.SECONDS);
        b.get(10, TimeUnit.SECONDS);
    }

    @Test
    void everyStripeLockedForAFlushExcludesBlindWrites() throws Exception {
        CountDownLatch blind = new CountDownLatch(1);
        Future<?> b;
        try (Keyspace.Locked ignored = ks.lockAll()) {
            b = holdOnAnotherThread(true, blind, new CountDownLatch(0));
            assertThat(takenWithin(blind, 200)).isFalse();
        }
        assertThat(takenWithin(blind, 10_000)).isTrue();
        b.get(10, TimeUnit.SECONDS);
    }
}
