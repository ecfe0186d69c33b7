package io.strata.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.WriteBatch;
import io.strata.server.replication.ReplicationException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The proposal queue without Ratis: a submitter that records entries and answers when told. */
class ProposalQueueTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final ExecutorService writers = Executors.newCachedThreadPool();

    /** Records every entry submitted; each gets a future the test completes. */
    private static final class Recorder implements ProposalQueue.Submitter<String> {
        final List<WriteEntry> entries = Collections.synchronizedList(new ArrayList<>());
        final List<CompletableFuture<String>> replies = Collections.synchronizedList(new ArrayList<>());
        volatile IOException refuse;

        @Override
        public CompletableFuture<String> submit(WriteEntry entry) throws IOException {
            if (refuse != null) {
                throw refuse;
            }
            CompletableFuture<String> f = new CompletableFuture<>();
            entries.add(entry);
            replies.add(f);
            return f;
        }
    }

    @AfterEach
    void stop() {
        writers.shutdownNow();
    }

    private static WriteBatch put(String key) {
        return new WriteBatch().put(key.getBytes(UTF_8), new byte[] {1});
    }

    private static byte[] encoding(WriteBatch b) {
        byte[] out = new byte[b.encodedSize()];
        b.encodeInto(out, 0, 0);
        return out;
    }

    private static void awaitEntries(Recorder r, int n) throws InterruptedException {
        long until = System.nanoTime() + 10 * SECOND;
        while (r.entries.size() < n && System.nanoTime() < until) {
            Thread.sleep(1);
        }
        assertThat(r.entries).hasSize(n);
    }

    private static void awaitWaiting(ProposalQueue<String> q, int n) throws InterruptedException {
        long until = System.nanoTime() + 10 * SECOND;
        while (q.waiting() < n && System.nanoTime() < until) {
            Thread.sleep(1);
        }
        assertThat(q.waiting()).isEqualTo(n);
    }

    private static long deadline() {
        return System.nanoTime() + 10 * SECOND;
    }

    /**
     * Starts a writer, which waits for its reply, and returns once the writer waits in the queue
     * (the queue then holds {@code expectedWaiting}).
     */
    private Future<String> waitingWriter(ProposalQueue<String> q, long term, String key, int expectedWaiting)
            throws InterruptedException {
        Future<String> f =
                writers.submit(() -> q.propose(term, 1, put(key), deadline()).get(10, TimeUnit.SECONDS));
        awaitWaiting(q, expectedWaiting);
        return f;
    }

    @Test
    void aWriteWhileNothingIsInFlightIsProposedAtOnceAlone() throws Exception {
        Recorder r = new Recorder();
        ProposalQueue<String> q = new ProposalQueue<>(r, 2, 10_000);

        CompletableFuture<String> reply = q.propose(3, 42, put("a"), deadline());

        assertThat(r.entries).hasSize(1);
        WriteEntry e = r.entries.get(0);
        assertThat(e.evaluationTerm()).isEqualTo(3);
        assertThat(e.leaderTimeMillis()).isEqualTo(42);
        assertThat(encoding(e.batch())).isEqualTo(encoding(put("a")));
        assertThat(reply).isNotDone();
        r.replies.get(0).complete("applied");
        assertThat(reply.get(1, TimeUnit.SECONDS)).isEqualTo("applied");
    }

    @Test
    void writesArrivingWhileTheSlotsAreTakenGoInOneEntryInTheirOrder() throws Exception {
        Recorder r = new Recorder();
        ProposalQueue<String> q = new ProposalQueue<>(r, 1, 10_000);
        CompletableFuture<String> first = q.propose(1, 1, put("first"), deadline());
        Future<String> a = waitingWriter(q, 1, "a", 1);
        Future<String> b = waitingWriter(q, 1, "b", 2);
        Future<String> c = waitingWriter(q, 1, "c", 3);
        assertThat(r.entries).hasSize(1);

        r.replies.get(0).complete("one");

        assertThat(first.get()).isEqualTo("one");
        awaitEntries(r, 2);
        assertThat(encoding(r.entries.get(1).batch()))
                .isEqualTo(encoding(put("a").append(put("b")).append(put("c"))));
        assertThat(q.waiting()).isZero();
        r.replies.get(1).complete("two");
        assertThat(List.of(a.get(10, TimeUnit.SECONDS), b.get(10, TimeUnit.SECONDS), c.get(10, TimeUnit.SECONDS)))
                .containsOnly("two");
    }

    @Test
    void writesOfDifferentTermsAreNeverInOneEntry() throws Exception {
        Recorder r = new Recorder();
        ProposalQueue<String> q = new ProposalQueue<>(r, 1, 10_000);
        assertThat(q.propose(5, 1, put("first"), deadline())).isNotDone();
        List<Future<String>> writes = new ArrayList<>();
        writes.add(waitingWriter(q, 5, "a", 1));
        writes.add(waitingWriter(q, 5, "b", 2));
        writes.add(waitingWriter(q, 6, "c", 3));
        writes.add(waitingWriter(q, 5, "d", 4));

        for (int i = 0; i < 3; i++) {
            r.replies.get(i).complete("ok");
            awaitEntries(r, i + 2);
        }

        assertThat(r.entries).hasSize(4);
        assertThat(r.entries.stream().map(WriteEntry::evaluationTerm)).containsExactly(5L, 5L, 6L, 5L);
        assertThat(encoding(r.entries.get(1).batch())).isEqualTo(encoding(put("a").append(put("b"))));
        assertThat(encoding(r.entries.get(2).batch())).isEqualTo(encoding(put("c")));
        assertThat(encoding(r.entries.get(3).batch())).isEqualTo(encoding(put("d")));
        r.replies.get(3).complete("ok");
        for (Future<String> w : writes) {
            assertThat(w.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
        }
    }

    @Test
    void anEntryStopsGrowingAtItsByteLimit() throws Exception {
        Recorder r = new Recorder();
        ProposalQueue<String> q = new ProposalQueue<>(r, 1, 10_000);
        byte[] big = new byte[ProposalQueue.MAX_ENTRY_BATCH_BYTES / 2 + 1];
        assertThat(q.propose(1, 1, put("first"), deadline())).isNotDone();
        Future<String> a = writers.submit(() -> q.propose(1, 1, new WriteBatch().put(new byte[] {'a'}, big), deadline())
                .get(10, TimeUnit.SECONDS));
        awaitWaiting(q, 1);
        Future<String> b = writers.submit(() -> q.propose(1, 1, new WriteBatch().put(new byte[] {'b'}, big), deadline())
                .get(10, TimeUnit.SECONDS));
        awaitWaiting(q, 2);

        r.replies.get(0).complete("ok");
        awaitEntries(r, 2);
        assertThat(r.entries.get(1).batch().count()).isEqualTo(1);
        r.replies.get(1).complete("ok");
        awaitEntries(r, 3);
        assertThat(r.entries.get(2).batch().count()).isEqualTo(1);
        r.replies.get(2).complete("ok");
        assertThat(a.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
        assertThat(b.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
    }

    @Test
    void anEntryRatisRefusesFailsItsWritesAsNotWrittenAndFreesItsSlot() throws Exception {
        Recorder r = new Recorder();
        ProposalQueue<String> q = new ProposalQueue<>(r, 1, 10_000);
        r.refuse = new IOException("server closed");

        CompletableFuture<String> refused = q.propose(1, 1, put("a"), deadline());

        assertThatThrownBy(refused::get)
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(ReplicationException.class)
                .hasMessageStartingWith("TRYAGAIN")
                .hasMessageContaining("server closed")
                .hasMessageEndingWith("nothing was written");
        r.refuse = null;
        assertThat(q.propose(1, 1, put("b"), deadline())).isNotDone();
        assertThat(r.entries).hasSize(1);
    }

    @Test
    void aWriteThatCannotBeProposedBeforeItsDeadlineIsNeverProposed() throws Exception {
        Recorder r = new Recorder();
        ProposalQueue<String> q = new ProposalQueue<>(r, 1, 10_000);
        assertThat(q.propose(1, 1, put("stuck"), deadline())).isNotDone();

        assertThatThrownBy(() -> q.propose(1, 1, put("late"), System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50)))
                .isInstanceOf(ReplicationException.class)
                .hasMessageStartingWith("TRYAGAIN")
                .hasMessageEndingWith("nothing was written");
        assertThat(q.waiting()).isZero();

        r.replies.get(0).complete("ok");
        assertThat(q.propose(1, 1, put("next"), deadline())).isNotDone();
        assertThat(r.entries).hasSize(2);
        assertThat(encoding(r.entries.get(1).batch())).isEqualTo(encoding(put("next")));
    }

    @Test
    void aReplyThatNeverComesTimesItsWritesOutAndFreesTheSlot() throws Exception {
        Recorder r = new Recorder();
        ProposalQueue<String> q = new ProposalQueue<>(r, 1, 100);

        CompletableFuture<String> lost = q.propose(1, 1, put("a"), deadline());

        assertThatThrownBy(() -> lost.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(TimeoutException.class);
        assertThat(q.propose(1, 1, put("b"), deadline())).isNotDone();
        assertThat(r.entries).hasSize(2);
    }

    /**
     * Many writers, replies after random delays: every write is in exactly one entry, each gets
     * its entry's reply, no more entries than the limit are ever in flight, and writes are merged.
     */
    @Test
    void concurrentWritersEachLandInExactlyOneEntry() throws Exception {
        final long seed = 20261203L;
        System.out.println("ProposalQueueTest.concurrentWritersEachLandInExactlyOneEntry seed=" + seed);
        int maxInFlight = 2;
        int threads = 8;
        int perThread = 200;
        AtomicInteger outstanding = new AtomicInteger();
        AtomicInteger mostOutstanding = new AtomicInteger();
        Map<String, Integer> seen = Collections.synchronizedMap(new HashMap<>());
        List<Integer> entrySizes = Collections.synchronizedList(new ArrayList<>());
        ScheduledExecutorService replier = Executors.newSingleThreadScheduledExecutor();
        Random random = new Random(seed);
        ProposalQueue.Submitter<String> submitter = entry -> {
            int now = outstanding.incrementAndGet();
            mostOutstanding.accumulateAndGet(now, Math::max);
            byte[] enc = encoding(entry.batch());
            String text = new String(enc, UTF_8);
            for (int t = 0; t < threads; t++) {
                for (int i = 0; i < perThread; i++) {
                    String key = "k" + t + "-" + i + ";";
                    if (text.contains(key)) {
                        seen.merge(key, 1, Integer::sum);
                    }
                }
            }
            entrySizes.add(entry.batch().count());
            CompletableFuture<String> f = new CompletableFuture<>();
            int delayMicros;
            synchronized (random) {
                delayMicros = 200 + random.nextInt(800);
            }
            var unused = replier.schedule(
                    () -> {
                        outstanding.decrementAndGet();
                        f.complete("entry of " + entry.batch().count());
                    },
                    delayMicros,
                    TimeUnit.MICROSECONDS);
            return f;
        };
        ProposalQueue<String> q = new ProposalQueue<>(submitter, maxInFlight, 10_000);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(writers.submit(() -> {
                    int answered = 0;
                    for (int i = 0; i < perThread; i++) {
                        String reply = q.propose(1, i, put("k" + thread + "-" + i + ";"), deadline())
                                .get(10, TimeUnit.SECONDS);
                        if (reply.startsWith("entry of ")) {
                            answered++;
                        }
                    }
                    return answered;
                }));
            }
            for (Future<Integer> f : results) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(perThread);
            }
        } finally {
            replier.shutdownNow();
        }
        assertThat(seen).hasSize(threads * perThread);
        assertThat(seen.values()).containsOnly(1);
        assertThat(entrySizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(threads * perThread);
        assertThat(mostOutstanding.get()).isLessThanOrEqualTo(maxInFlight);
        assertThat(entrySizes.size()).isLessThan(threads * perThread);
        System.out.println(
                "ProposalQueueTest: " + threads * perThread + " writes in " + entrySizes.size() + " entries");
    }
}
