package io.strata.db;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.strata.StrataException;
import io.strata.WriteBatch;
import io.strata.key.ValueType;
import io.strata.util.Coding;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The commit pipeline on its own, without a store (as Pebble's {@code commit_test.go} with its
 * {@code testCommitEnv}): a scripted {@link CommitPipeline.Env} records what the leader asks of
 * it, can hold an append until the test releases it (so that writers queue behind it), and can
 * fail an append or a sync. Every wait is bounded.
 */
class CommitPipelineTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final ScriptedEnv env = new ScriptedEnv();
    private final CommitPipeline<Integer> pipeline = new CommitPipeline<>(env, 0, null);
    private final Map<String, String> outcomes = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();

    @AfterEach
    void joinWriters() throws InterruptedException {
        env.releaseAll();
        for (Thread t : threads) {
            t.join(PATIENCE.toMillis());
            assertThat(t.isAlive()).as(t.getName() + " still running").isFalse();
        }
    }

    @Test
    void writersQueuedBehindTheLeaderCommitAsOneGroupWithOneRecord() {
        env.holdAppend(1);
        write("a", false);
        env.awaitAppendEntered(1);
        write("b", false);
        write("c", false);
        write("d", false);
        env.releaseAppend(1);
        awaitOutcomes("a", "b", "c", "d");

        assertThat(env.events)
                .containsExactly("prepare", "append#1 [a@1]", "apply", "prepare", "append#2 [b@2, c@3, d@4]", "apply");
        assertThat(outcomes)
                .containsOnly(Map.entry("a", "ok"), Map.entry("b", "ok"), Map.entry("c", "ok"), Map.entry("d", "ok"));
        assertThat(pipeline.lastSequence()).isEqualTo(4);
        assertThat(pipeline.queued()).isZero();
    }

    @Test
    void aGroupStopsGrowingAtItsByteBoundAndTheRestFormTheNextGroup() {
        byte[] big = new byte[CommitPipeline.MAX_GROUP_BYTES / 2];
        env.holdAppend(1);
        write("lead", false);
        env.awaitAppendEntered(1);
        writeBatch("x", new WriteBatch().put("x".getBytes(UTF_8), big), false);
        writeBatch("y", new WriteBatch().put("y".getBytes(UTF_8), big), false);
        write("z", false);
        env.releaseAppend(1);
        awaitOutcomes("lead", "x", "y", "z");

        // x and y together pass the bound: x leads a group of one, y and z make the next.
        assertThat(env.appends()).containsExactly("append#1 [lead@1]", "append#2 [x@2]", "append#3 [y@3, z@4]");
    }

    @Test
    void sequencesFollowTheQueueAcrossBatchesOfSeveralEntries() {
        env.holdAppend(1);
        write("first", false);
        env.awaitAppendEntered(1);
        writeBatch("three", batchOf("t1", "t2", "t3"), false);
        writeBatch("two", batchOf("u1", "u2"), false);
        env.releaseAppend(1);
        awaitOutcomes("first", "three", "two");

        assertThat(env.appends()).containsExactly("append#1 [first@1]", "append#2 [t1@2, t2@3, t3@4, u1@5, u2@6]");
        assertThat(pipeline.lastSequence()).isEqualTo(6);
    }

    @Test
    void aGroupIsSyncedOnceWhenAnyOfItsWritersAskedAndNotAtAllWhenNoneDid() {
        env.holdAppend(1);
        write("a", false);
        env.awaitAppendEntered(1);
        write("b", false);
        write("c", true);
        write("d", false);
        env.releaseAppend(1);
        awaitOutcomes("a", "b", "c", "d");

        assertThat(env.events)
                .containsExactly(
                        "prepare", "append#1 [a@1]", "apply", "prepare", "append#2 [b@2, c@3, d@4]", "sync", "apply");
    }

    @Test
    void aFailedAppendFailsExactlyTheWritersOfItsGroup() {
        env.holdAppend(1);
        env.holdAppend(2);
        env.failAppend(2);
        write("a", false);
        env.awaitAppendEntered(1);
        write("b", false);
        write("c", false);
        env.releaseAppend(1);
        env.awaitAppendEntered(2); // b leads [b, c]; d queues behind that group
        write("d", false);
        env.releaseAppend(2);
        awaitOutcomes("a", "b", "c", "d");

        assertThat(outcomes)
                .containsOnly(
                        Map.entry("a", "ok"),
                        Map.entry("b", "append failed: append#2 failed"),
                        Map.entry("c", "append failed: append#2 failed"),
                        Map.entry("d", "ok"));
        // Nothing of the failed group was applied, so its sequences are given out again.
        assertThat(env.appends()).containsExactly("append#1 [a@1]", "append#2 [b@2, c@3]", "append#3 [d@2]");
        assertThat(env.applied).containsExactly("a@1", "d@2");
        assertThat(pipeline.lastSequence()).isEqualTo(2);
    }

    @Test
    void aFailedSyncFailsItsGroupAndNothingOfItBecomesVisible() {
        env.holdAppend(1);
        env.failSync(2);
        write("a", false);
        env.awaitAppendEntered(1);
        write("b", true);
        write("c", false);
        env.releaseAppend(1);
        awaitOutcomes("a", "b", "c");

        assertThat(outcomes.get("b")).isEqualTo("sync failed: sync of append#2 failed");
        assertThat(outcomes.get("c")).isEqualTo("sync failed: sync of append#2 failed");
        assertThat(env.applied).containsExactly("a@1");
        assertThat(pipeline.lastSequence()).isEqualTo(1);
    }

    @Test
    void aFailedPrepareFailsTheLeaderAloneAndTheNextWriterLeads() {
        env.holdAppend(1);
        write("a", false);
        env.awaitAppendEntered(1);
        env.failPrepare(2); // the second prepare: b's, as the next leader
        write("b", false);
        write("c", false);
        env.releaseAppend(1);
        awaitOutcomes("a", "b", "c");

        assertThat(outcomes.get("b")).isEqualTo("prepare#2 failed");
        assertThat(outcomes.get("c")).isEqualTo("ok");
        assertThat(env.appends()).containsExactly("append#1 [a@1]", "append#2 [c@2]");
    }

    @Test
    void aSwapInTheMiddleOfTheQueueSplitsItWritesBeforeGoToTheOldMemtableAndAfterToTheNew() {
        env.holdAppend(1);
        write("a", false);
        env.awaitAppendEntered(1);
        write("b", false);
        swap("swap");
        write("c", false);
        env.releaseAppend(1);
        awaitOutcomes("a", "b", "swap", "c");

        assertThat(env.events)
                .containsExactly(
                        "prepare",
                        "append#1 [a@1]",
                        "apply",
                        "prepare",
                        "append#2 [b@2]",
                        "apply",
                        "swap",
                        "prepare",
                        "append#3 [c@3]",
                        "apply");
        assertThat(env.appliedTo).containsExactly(Map.entry("a@1", 0), Map.entry("b@2", 0), Map.entry("c@3", 1));
    }

    /**
     * Many writers at once: every entry gets one sequence, each batch's entries are consecutive,
     * each writer's batches are numbered in the order it committed them, and what is published
     * only grows.
     */
    @Test
    void concurrentWritersGetEverySequenceOnceInOrder() throws InterruptedException {
        long seed = 0xC0FFEEL;
        System.out.println("CommitPipelineTest.concurrentWritersGetEverySequenceOnceInOrder seed=" + seed);
        int writers = 8;
        int batchesEach = 300;
        List<Long> published = Collections.synchronizedList(new ArrayList<>());
        long total = expectedEntries(seed, writers, batchesEach);
        long readerDeadline = System.nanoTime() + PATIENCE.toNanos();
        Thread reader = new Thread(() -> {
            while (pipeline.lastSequence() < total && System.nanoTime() < readerDeadline) {
                published.add(pipeline.lastSequence());
                Thread.onSpinWait();
            }
        });
        reader.setDaemon(true);
        reader.start();
        for (int w = 0; w < writers; w++) {
            int id = w;
            Random rnd = new Random(seed + id);
            Thread t = new Thread(() -> {
                for (int i = 0; i < batchesEach; i++) {
                    WriteBatch b = new WriteBatch();
                    int n = 1 + rnd.nextInt(4);
                    for (int e = 0; e < n; e++) {
                        b.put((id + "/" + i + "/" + e).getBytes(UTF_8), new byte[0]);
                    }
                    pipeline.commit(b, rnd.nextInt(10) == 0);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join(PATIENCE.toMillis());
        }
        reader.join(PATIENCE.toMillis());
        assertThat(reader.isAlive()).isFalse();

        assertThat(pipeline.lastSequence()).isEqualTo(total);
        Map<String, Long> seqOf = new HashMap<>();
        for (String a : env.applied) {
            int at = a.lastIndexOf('@');
            assertThat(seqOf.put(a.substring(0, at), Long.parseLong(a.substring(at + 1))))
                    .isNull();
        }
        assertThat(Set.copyOf(seqOf.values())).hasSize((int) total);
        assertThat(seqOf.values()).allMatch(s -> s >= 1 && s <= total);
        for (int w = 0; w < writers; w++) {
            long lastOfPrevious = 0;
            for (int i = 0; i < batchesEach; i++) {
                long first = seqOf.get(w + "/" + i + "/0");
                assertThat(first)
                        .as("writer %d batch %d after its batch before", w, i)
                        .isGreaterThan(lastOfPrevious);
                long last = first;
                for (int e = 1; seqOf.containsKey(w + "/" + i + "/" + e); e++) {
                    assertThat(seqOf.get(w + "/" + i + "/" + e))
                            .as("a batch's entries are consecutive")
                            .isEqualTo(first + e);
                    last = first + e;
                }
                lastOfPrevious = last;
            }
        }
        for (int i = 1; i < published.size(); i++) {
            assertThat(published.get(i)).isGreaterThanOrEqualTo(published.get(i - 1));
        }
        assertThat(env.appendCount.get()).as("groups formed").isLessThanOrEqualTo(writers * batchesEach);
    }

    private static long expectedEntries(long seed, int writers, int batchesEach) {
        long total = 0;
        for (int w = 0; w < writers; w++) {
            Random rnd = new Random(seed + w);
            for (int i = 0; i < batchesEach; i++) {
                total += 1 + rnd.nextInt(4);
                rnd.nextInt(10);
            }
        }
        return total;
    }

    // ---- helpers ----

    private static WriteBatch batchOf(String... keys) {
        WriteBatch b = new WriteBatch();
        for (String k : keys) {
            b.put(k.getBytes(UTF_8), new byte[] {1});
        }
        return b;
    }

    private void write(String key, boolean sync) {
        writeBatch(key, batchOf(key), sync);
    }

    private void writeBatch(String name, WriteBatch batch, boolean sync) {
        start(name, () -> pipeline.commit(batch, sync));
    }

    private void swap(String name) {
        start(name, pipeline::swap);
    }

    /**
     * Starts a writer on its own thread and waits until it is queued. The tests call it only while
     * the queue is still (its leader held in an append), so the writer is the one that joined.
     */
    private void start(String name, Runnable work) {
        int queuedBefore = pipeline.queued();
        Thread t = new Thread(
                () -> {
                    try {
                        work.run();
                        outcomes.put(name, "ok");
                    } catch (StrataException e) {
                        outcomes.put(name, e.getMessage());
                    }
                },
                "writer-" + name);
        threads.add(t);
        t.start();
        await().atMost(PATIENCE).until(() -> pipeline.queued() == queuedBefore + 1);
    }

    private void awaitOutcomes(String... names) {
        await().atMost(PATIENCE).until(() -> outcomes.keySet().containsAll(List.of(names)));
    }

    /** Records the leader's calls; holds and fails appends, syncs and prepares by their number. */
    private static final class ScriptedEnv implements CommitPipeline.Env<Integer> {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final List<String> applied = Collections.synchronizedList(new ArrayList<>());
        /** Each applied entry with the memtable (its generation) it went into. */
        final Map<String, Integer> appliedTo = Collections.synchronizedMap(new java.util.LinkedHashMap<>());

        final AtomicInteger appendCount = new AtomicInteger();
        private final AtomicInteger prepareCount = new AtomicInteger();
        private final Map<Integer, CountDownLatch> held = new ConcurrentHashMap<>();
        private final Map<Integer, CountDownLatch> entered = new ConcurrentHashMap<>();
        private final Set<Integer> failingAppends = ConcurrentHashMap.newKeySet();
        private final Set<Integer> failingSyncs = ConcurrentHashMap.newKeySet();
        private final Set<Integer> failingPrepares = ConcurrentHashMap.newKeySet();
        /** The memtable generation: a swap starts the next one. Touched by the leader alone. */
        private int generation;

        private volatile int currentAppend;

        void holdAppend(int n) {
            held.put(n, new CountDownLatch(1));
            entered.put(n, new CountDownLatch(1));
        }

        void releaseAppend(int n) {
            held.get(n).countDown();
        }

        void releaseAll() {
            held.values().forEach(CountDownLatch::countDown);
        }

        void awaitAppendEntered(int n) {
            try {
                assertThat(entered.get(n).await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                        .as("append #" + n + " reached")
                        .isTrue();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }

        void failAppend(int n) {
            failingAppends.add(n);
        }

        void failSync(int appendNumber) {
            failingSyncs.add(appendNumber);
        }

        void failPrepare(int n) {
            failingPrepares.add(n);
        }

        List<String> appends() {
            synchronized (events) {
                return events.stream().filter(e -> e.startsWith("append")).toList();
            }
        }

        @Override
        public Integer prepare(boolean swap) {
            int n = prepareCount.incrementAndGet();
            if (failingPrepares.contains(n)) {
                throw new StrataException("prepare#" + n + " failed");
            }
            if (swap) {
                generation++;
            }
            events.add(swap ? "swap" : "prepare");
            return generation;
        }

        @Override
        public void append(Integer target, byte[] record) throws IOException {
            int n = appendCount.incrementAndGet();
            currentAppend = n;
            events.add("append#" + n + " " + entries(record));
            CountDownLatch in = entered.get(n);
            if (in != null) {
                in.countDown();
                try {
                    assertThat(held.get(n).await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
                            .isTrue();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            if (failingAppends.contains(n)) {
                throw new IOException("append#" + n + " failed");
            }
        }

        @Override
        public void sync(Integer target) throws IOException {
            events.add("sync");
            if (failingSyncs.contains(currentAppend)) {
                throw new IOException("sync of append#" + currentAppend + " failed");
            }
        }

        @Override
        public void apply(Integer target, byte[] record, byte[] marker) {
            events.add("apply");
            for (String e : entries(record)) {
                applied.add(e);
                appliedTo.put(e, target);
            }
        }

        @Override
        public RuntimeException failed(Integer target, IOException cause, boolean syncing) {
            return new StrataException((syncing ? "sync" : "append") + " failed: " + cause.getMessage(), cause);
        }

        /** The entries of a record as key@sequence, decoded independently of the engine's decoder. */
        static List<String> entries(byte[] rec) {
            List<String> out = new ArrayList<>();
            int[] pos = {0};
            while (pos[0] < rec.length) {
                long seq = Coding.getFixed64(rec, pos[0]);
                int count = Coding.getFixed32(rec, pos[0] + 8);
                pos[0] += WriteBatch.HEADER_SIZE;
                for (int i = 0; i < count; i++) {
                    int type = rec[pos[0]++];
                    int keyLength = Coding.getVarint32(rec, pos, rec.length);
                    out.add(new String(rec, pos[0], keyLength, UTF_8) + "@" + (seq + i));
                    pos[0] += keyLength;
                    if (type == ValueType.VALUE) {
                        int valueLength = Coding.getVarint32(rec, pos, rec.length);
                        pos[0] += valueLength;
                    }
                }
            }
            return out;
        }
    }
}
