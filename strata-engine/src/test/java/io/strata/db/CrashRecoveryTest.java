package io.strata.db;

import io.strata.Options;
import io.strata.StrataDb;
import io.strata.StrataIterator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM ({@link CrashWriter}) with SIGKILL while it writes, then checks what a
 * reopen recovers, again and again on the same directory: each child recovers the directory
 * the previous one was killed in (so kills also land during recovery) and continues the write
 * sequence from where the recovered state ends.
 *
 * <p>The parent reads the child's acknowledgements from its stdout. Since the child writes
 * one at a time, the recovered state must be the state after write {@code lastAck} or after
 * {@code lastAck + 1} (the write in flight, or acknowledged but not yet reported):
 * <ul>
 *   <li>{@code sync=true}: every acknowledged write is present and nothing else;</li>
 *   <li>{@code sync=false}: the state is a prefix of the write order, and since a SIGKILL is a
 *       process crash (acknowledged writes have reached the OS: docs/DESIGN.md, write path) the prefix
 *       holds every acknowledged write too. A failure says which of the two broke.</li>
 * </ul>
 * Kills are placed three ways (seeded; each iteration prints its plan): shortly after the
 * child starts opening the store (mid-recovery), after a random number of acknowledged writes,
 * or after a random delay; with a small write buffer, memtable swaps and flushes run all the
 * time, so kills land mid-write, mid-swap and mid-flush; in about half the iterations the
 * child's flushes are slowed down (a delay before each table fsync), so memtables queue and
 * kills land with several waiting for flush. Compaction settings are small (level-0 trigger 2,
 * target file and level-1 sizes of 8–16 KiB, small enough for the compressed tables), so
 * compactions run all the time and reach several levels:
 * kills land mid-compaction and mid-install too. The test checks that they did run: the
 * children report their compaction counts, and the recovered stores' tables reach level 2.
 * Correctness never depends on timing.
 *
 * <p>Verification opens a copy of the directory, so the next child recovers the crashed
 * directory itself. Overrides: {@code -Dstrata.crash.seed}, {@code -Dstrata.crash.syncIterations},
 * {@code -Dstrata.crash.asyncIterations}.
 */
class CrashRecoveryTest {
    /** Generous: a loaded machine can be slow, and nothing here relies on speed for correctness. */
    private static final long STEP_TIMEOUT_MS = 120_000;

    @TempDir
    Path tmp;

    @Test
    void syncWritesSurviveSigkillAtAnyMoment() throws Exception {
        new Runner(
                        tmp,
                        true,
                        Integer.getInteger("strata.crash.syncIterations", 24),
                        Long.getLong("strata.crash.seed", 0x51A7A_0001L),
                        8 * 1024,
                        1500,
                        1000,
                        new Compaction(2, 8 * 1024, 8 * 1024, 2))
                .run();
    }

    @Test
    void unsyncedWritesRecoverToAPrefixHoldingEveryAcknowledgedWrite() throws Exception {
        new Runner(
                        tmp,
                        false,
                        Integer.getInteger("strata.crash.asyncIterations", 24),
                        Long.getLong("strata.crash.seed", 0x51A7A_0002L),
                        64 * 1024,
                        8000,
                        400,
                        new Compaction(2, 16 * 1024, 16 * 1024, 2))
                .run();
    }

    private enum KillPlan {
        DURING_OPEN,
        AFTER_ACKS,
        AFTER_DELAY
    }

    /** The child's compaction settings (see {@link CrashWriter}). */
    private record Compaction(int level0Trigger, long targetFileSize, long levelBase, int multiplier) {
        List<String> args() {
            return List.of(
                    Integer.toString(level0Trigger),
                    Long.toString(targetFileSize),
                    Long.toString(levelBase),
                    Integer.toString(multiplier));
        }
    }

    private static final class Runner {
        final Path root;
        final Path dir;
        final boolean sync;
        final int iterations;
        final long seed;
        final long writeBufferSize;
        final int maxAcks;
        final int maxDelayMs;
        final Compaction compaction;
        final Model model = new Model();
        /** Compactions the children reported, summed over children (each its last report). */
        long childCompactions;
        /** Verifications after which each level held tables. */
        final int[] levelsHeld = new int[7];

        Runner(
                Path root,
                boolean sync,
                int iterations,
                long seed,
                long writeBufferSize,
                int maxAcks,
                int maxDelayMs,
                Compaction compaction) {
            this.root = root;
            this.dir = root.resolve("db");
            this.sync = sync;
            this.iterations = iterations;
            this.seed = seed;
            this.writeBufferSize = writeBufferSize;
            this.maxAcks = maxAcks;
            this.maxDelayMs = maxDelayMs;
            this.compaction = compaction;
        }

        void run() throws Exception {
            long started = System.nanoTime();
            System.out.printf(
                    "CrashRecoveryTest sync=%s seed=%d iterations=%d writeBufferSize=%d %s%n",
                    sync, seed, iterations, writeBufferSize, compaction);
            Random rnd = new Random(seed);
            long next = 0;
            Map<KillPlan, Integer> plans = new EnumMap<>(KillPlan.class);
            for (int iter = 0; iter < iterations; iter++) {
                int pick = rnd.nextInt(10);
                KillPlan plan = pick < 3 ? KillPlan.DURING_OPEN : pick < 6 ? KillPlan.AFTER_ACKS : KillPlan.AFTER_DELAY;
                int param = switch (plan) {
                    case DURING_OPEN -> rnd.nextInt(120);
                    case AFTER_ACKS -> rnd.nextInt(maxAcks);
                    case AFTER_DELAY -> rnd.nextInt(maxDelayMs);
                };
                int flushDelayMs = rnd.nextBoolean() ? 0 : 1 + rnd.nextInt(30);
                plans.merge(plan, 1, Integer::sum);
                String where = "sync=" + sync + " seed=" + seed + " iteration " + iter + " (" + plan + " " + param
                        + ", flush delay " + flushDelayMs + " ms, first write " + next + ")";
                long t0 = System.nanoTime();
                Child child = Child.start(root, dir, iter, next, sync, writeBufferSize, flushDelayMs, compaction);
                try {
                    child.killPer(plan, param, maxAcks, where);
                } finally {
                    child.destroy();
                }
                long lastAck = child.lastAck >= 0 ? child.lastAck : next - 1;
                childCompactions += child.compactions;
                long recovered = verifyCopy(lastAck, where + ", acknowledged through " + lastAck);
                System.out.printf(
                        "  iteration %d: %s %d, flush delay %d ms, first write %d, acknowledged through %d,"
                                + " recovered through %d (%d keys), open %s, %d compactions reported, files per level"
                                + " %s, iteration took %d ms%n",
                        iter,
                        plan,
                        param,
                        flushDelayMs,
                        next,
                        lastAck,
                        recovered,
                        model.map.size(),
                        child.open
                                ? "took " + TimeUnit.NANOSECONDS.toMillis(child.openedAt - child.openingAt) + " ms"
                                : "killed before it finished",
                        child.compactions,
                        Arrays.toString(lastLayout),
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                next = recovered + 1;
            }
            // Finally recover the directory the children used, in this JVM.
            Map<byte[], byte[]> actual = readAll(dir);
            if (!equal(actual, model.map)) {
                throw new AssertionError("sync=" + sync + " seed=" + seed + ": the children's directory does not "
                        + "hold the state after write " + model.applied + ": " + firstDifference(model.map, actual));
            }
            System.out.printf(
                    "CrashRecoveryTest sync=%s seed=%d passed: %d iterations (%s), %d writes, %d compactions"
                            + " reported by the children, verifications with tables at each level %s, %d ms%n",
                    sync,
                    seed,
                    iterations,
                    planCounts(plans),
                    next,
                    childCompactions,
                    Arrays.toString(levelsHeld),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            if (iterations >= 8) {
                // The kill loop must have exercised compaction, not only flushes.
                if (childCompactions == 0 || levelsHeld[2] == 0) {
                    throw new AssertionError("sync=" + sync + " seed=" + seed + ": compactions did not run in the "
                            + "children (" + childCompactions + " reported; verifications with tables per level "
                            + Arrays.toString(levelsHeld) + ")");
                }
            }
        }

        static String planCounts(Map<KillPlan, Integer> plans) {
            List<String> parts = new ArrayList<>();
            for (KillPlan p : KillPlan.values()) {
                parts.add(plans.getOrDefault(p, 0) + " " + p);
            }
            return String.join(", ", parts);
        }

        /** Tables per level of the last verified copy, as its open found them. */
        final int[] lastLayout = new int[7];

        /**
         * Recovers a copy of the directory and checks it holds the state after write
         * {@code lastAck} or {@code lastAck + 1}; returns which.
         */
        long verifyCopy(long lastAck, String where) throws IOException {
            Path copy = root.resolve("verify");
            deleteRecursively(copy);
            copyDirectory(dir, copy);
            Map<byte[], byte[]> actual;
            try {
                actual = readAll(copy, lastLayout);
            } catch (RuntimeException e) {
                throw new AssertionError(where + ": reopening after the kill failed: " + e, e);
            }
            deleteRecursively(copy);
            for (int level = 0; level < lastLayout.length; level++) {
                levelsHeld[level] += lastLayout[level] > 0 ? 1 : 0;
            }
            model.applyThrough(lastAck);
            if (equal(actual, model.map)) {
                return lastAck;
            }
            String atAck = firstDifference(model.map, actual);
            model.applyThrough(lastAck + 1);
            if (equal(actual, model.map)) {
                return lastAck + 1;
            }
            long match = model.prefixMatching(fingerprint(actual));
            String what;
            if (match < 0) {
                what = "the recovered state is not the state after any prefix of the write sequence";
            } else if (match < lastAck) {
                what = "the recovered state is the state after write " + match + ": acknowledged writes " + (match + 1)
                        + ".." + lastAck + " were lost";
            } else {
                what = "the recovered state matches the state after write " + match + " by fingerprint only";
            }
            throw new AssertionError(where + ": " + what + "; against the state after write " + lastAck + ": " + atAck);
        }
    }

    /**
     * A running {@link CrashWriter} and what it has printed. Its stdout goes to a file that is
     * read as it grows (a pipe read can race with the JDK reaping the killed process); every
     * line there was written by the child before it was killed.
     */
    private static final class Child {
        final Process process;
        final Path stdout;
        final Path stderr;
        final long first;
        private final byte[] buf = new byte[64 * 1024];
        private final StringBuilder partial = new StringBuilder();
        private long readOffset;
        boolean opening;
        boolean open;
        long openingAt;
        long openedAt;
        long lastAck = -1;
        /** The last compaction count the child reported. */
        long compactions;

        long lastProgress = System.nanoTime();

        private Child(Process process, Path stdout, Path stderr, long first) {
            this.process = process;
            this.stdout = stdout;
            this.stderr = stderr;
            this.first = first;
        }

        static Child start(
                Path root,
                Path dir,
                int iter,
                long first,
                boolean sync,
                long writeBufferSize,
                int flushDelayMs,
                Compaction compaction)
                throws IOException {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Path out = root.resolve("child-" + iter + ".out");
            Path err = root.resolve("child-" + iter + ".err");
            List<String> cmd = new ArrayList<>(List.of(
                    java.toString(),
                    "-Xmx64m",
                    "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1",
                    "-cp",
                    System.getProperty("java.class.path"),
                    CrashWriter.class.getName(),
                    dir.toString(),
                    Long.toString(first),
                    Boolean.toString(sync),
                    Long.toString(writeBufferSize),
                    Integer.toString(flushDelayMs)));
            cmd.addAll(compaction.args());
            Process p = new ProcessBuilder(cmd)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            return new Child(p, out, err, first);
        }

        /** Writes acknowledged by this child so far. */
        long acks() {
            return lastAck >= first ? lastAck - first + 1 : 0;
        }

        /** Reads what the child printed since the last poll. */
        void poll() throws IOException {
            try (var ch = java.nio.channels.FileChannel.open(stdout)) {
                while (true) {
                    int n = ch.read(java.nio.ByteBuffer.wrap(buf), readOffset);
                    if (n <= 0) {
                        break;
                    }
                    readOffset += n;
                    for (int i = 0; i < n; i++) {
                        char c = (char) buf[i];
                        if (c == '\n') {
                            line(partial.toString());
                            partial.setLength(0);
                        } else {
                            partial.append(c);
                        }
                    }
                }
            }
        }

        private void line(String line) {
            if (line.startsWith("ack ")) {
                long ack = Long.parseLong(line.substring(4));
                if (ack != (lastAck < 0 ? first : lastAck + 1)) {
                    throw new AssertionError("the child acknowledged write " + ack + " out of order after " + lastAck);
                }
                lastAck = ack;
                lastProgress = System.nanoTime();
            } else if (line.startsWith("compactions ")) {
                compactions = Long.parseLong(line.substring("compactions ".length()));
            } else if (line.equals("opening")) {
                openingAt = System.nanoTime();
                opening = true;
            } else if (line.equals("open")) {
                openedAt = System.nanoTime();
                open = true;
                lastProgress = System.nanoTime();
            }
        }

        /** Waits until the plan says when, then kills the child with SIGKILL. */
        void killPer(KillPlan plan, int param, int maxAcks, String where) throws Exception {
            switch (plan) {
                case DURING_OPEN -> {
                    await(() -> opening, "the child to start opening the store", where);
                    Thread.sleep(param);
                }
                case AFTER_ACKS -> {
                    await(() -> open, "the child to open the store", where);
                    awaitProgress(() -> acks() >= param, where);
                }
                case AFTER_DELAY -> {
                    await(() -> open, "the child to open the store", where);
                    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(param);
                    awaitProgress(() -> System.nanoTime() >= until || acks() >= maxAcks, where);
                }
            }
            checkAlive(where);
            process.destroyForcibly(); // SIGKILL on Linux
        }

        private void await(java.util.function.BooleanSupplier condition, String what, String where) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STEP_TIMEOUT_MS);
            while (true) {
                poll();
                if (condition.getAsBoolean()) {
                    return;
                }
                checkAlive(where);
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(where + ": timed out waiting for " + what + "; stderr:\n" + stderrTail());
                }
                Thread.sleep(1);
            }
        }

        /** Waits for the condition while the child keeps acknowledging writes. */
        private void awaitProgress(java.util.function.BooleanSupplier condition, String where) throws Exception {
            while (true) {
                poll();
                if (condition.getAsBoolean()) {
                    return;
                }
                checkAlive(where);
                if (System.nanoTime() - lastProgress > TimeUnit.MILLISECONDS.toNanos(STEP_TIMEOUT_MS)) {
                    throw new AssertionError(where + ": the child acknowledged no write for " + STEP_TIMEOUT_MS
                            + " ms (last " + lastAck + "); stderr:\n" + stderrTail());
                }
                Thread.sleep(1);
            }
        }

        private void checkAlive(String where) {
            if (!process.isAlive()) {
                throw new AssertionError(where + ": the child exited by itself with status " + process.exitValue()
                        + "; its stderr:\n" + stderrTail());
            }
        }

        /** Kills the child if it still runs, waits until it is gone and reads the rest of its output. */
        void destroy() throws Exception {
            process.destroyForcibly();
            if (!process.waitFor(STEP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the killed child did not exit");
            }
            poll();
        }

        String stderrTail() {
            try {
                String s = Files.readString(stderr, StandardCharsets.UTF_8);
                return s.length() > 8000 ? "..." + s.substring(s.length() - 8000) : s;
            } catch (IOException e) {
                return "(unreadable: " + e + ")";
            }
        }
    }

    /**
     * The state after a prefix of the write sequence, and a fingerprint of the state after
     * every write applied so far (to name the prefix a wrong state matches).
     */
    private static final class Model {
        final NavigableMap<byte[], byte[]> map = new TreeMap<>(Arrays::compareUnsigned);
        long applied = -1;
        long fingerprint;
        long[] fingerprints = new long[1024];

        void applyThrough(long last) {
            while (applied < last) {
                applied++;
                for (CrashWriter.Entry e : CrashWriter.write(applied)) {
                    byte[] old = e.value() == null ? map.remove(e.key()) : map.put(e.key(), e.value());
                    if (old != null) {
                        fingerprint -= entryHash(e.key(), old);
                    }
                    if (e.value() != null) {
                        fingerprint += entryHash(e.key(), e.value());
                    }
                }
                if (applied >= fingerprints.length) {
                    fingerprints = Arrays.copyOf(fingerprints, (int) applied * 2);
                }
                fingerprints[(int) applied] = fingerprint;
            }
        }

        /** The last write after which the state had this fingerprint, or -1 (the empty state is -1 too). */
        long prefixMatching(long fp) {
            for (long i = applied; i >= 0; i--) {
                if (fingerprints[(int) i] == fp) {
                    return i;
                }
            }
            return -1;
        }
    }

    static long entryHash(byte[] key, byte[] value) {
        return CrashWriter.mix(Arrays.hashCode(key) * 0x9E3779B97F4A7C15L + Arrays.hashCode(value));
    }

    static long fingerprint(Map<byte[], byte[]> m) {
        long fp = 0;
        for (Map.Entry<byte[], byte[]> e : m.entrySet()) {
            fp += entryHash(e.getKey(), e.getValue());
        }
        return fp;
    }

    /** Opens the store, reads every entry, checks a few point reads agree, and closes it. */
    static NavigableMap<byte[], byte[]> readAll(Path dir) {
        return readAll(dir, new int[7]);
    }

    /** As {@link #readAll(Path)}, also filling in the tables per level the open found. */
    static NavigableMap<byte[], byte[]> readAll(Path dir, int[] filesPerLevel) {
        NavigableMap<byte[], byte[]> all = new TreeMap<>(Arrays::compareUnsigned);
        // A child killed before it wrote CURRENT leaves no store yet; the empty state is then right.
        try (StrataDb db = StrataDb.open(dir, new Options())) {
            for (int level = 0; level < filesPerLevel.length; level++) {
                filesPerLevel[level] = Integer.parseInt(db.getProperty("strata.num-files-at-level" + level));
            }
            try (StrataIterator it = db.iterator()) {
                for (it.seekToFirst(); it.valid(); it.next()) {
                    all.put(it.key(), it.value());
                }
            }
            for (int k = 0; k < CrashWriter.KEYS; k += 37) {
                byte[] key = CrashWriter.key(k);
                if (!Arrays.equals(db.get(key), all.get(key))) {
                    throw new AssertionError(
                            "get and the iterator disagree on " + new String(key, StandardCharsets.US_ASCII));
                }
            }
        }
        return all;
    }

    static boolean equal(Map<byte[], byte[]> a, NavigableMap<byte[], byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (Map.Entry<byte[], byte[]> e : a.entrySet()) {
            if (!Arrays.equals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** The first key (in order) where the states differ, with both values' origins. */
    static String firstDifference(NavigableMap<byte[], byte[]> expected, Map<byte[], byte[]> actual) {
        NavigableMap<byte[], Boolean> keys = new TreeMap<>(Arrays::compareUnsigned);
        expected.keySet().forEach(k -> keys.put(k, true));
        actual.keySet().forEach(k -> keys.put(k, true));
        for (byte[] k : keys.keySet()) {
            byte[] e = expected.get(k);
            byte[] a = actual.get(k);
            if (!Arrays.equals(e, a)) {
                return "first difference at " + new String(k, StandardCharsets.US_ASCII) + ": expected "
                        + origin(e) + ", found " + origin(a) + " (" + expected.size() + " keys expected, "
                        + actual.size() + " found)";
            }
        }
        return "no difference";
    }

    private static String origin(byte[] v) {
        if (v == null) {
            return "no value";
        }
        String s = new String(v, StandardCharsets.US_ASCII);
        int colon = s.indexOf(':');
        return "the value of write " + (colon > 0 ? s.substring(1, colon) : "?");
    }

    static void copyDirectory(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        if (!Files.exists(from)) {
            return;
        }
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.delete(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
