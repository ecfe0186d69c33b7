package io.strata.stress;

import io.strata.Options;
import io.strata.Statistics;
import io.strata.StrataDb;
import io.strata.tools.CrashRemains;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * RocksDB's db_stress for Strata: threads run random puts, deletes, write batches, gets, scans
 * and snapshot reads over a bounded key space, recording every write in an {@link ExpectedState}
 * file outside the store and checking every read against it. Each run first verifies the store
 * against that file ({@link Verifier}), so a run after a SIGKILL checks what the store
 * recovered; {@code --verify-only} does only that. {@code scripts/crash-test.sh} kills runs at
 * random moments, over and over.
 *
 * <p>Output: a header line (with the seed), the directory's {@link CrashRemains}, the
 * verification report, then while running one {@code status} line every half second with
 * key=value fields (ops, flushes, compactions, ...), and at the end the verifications after
 * the run and after a clean reopen. Exit status 0 when every check passed, 1 on the first
 * failed check (the message names the key, what was expected and what was found) or a store
 * error, 2 for bad options.
 */
@Command(
        name = "stress",
        mixinStandardHelpOptions = true,
        description = "Stress-tests a store with random operations checked against an expected state kept "
                + "outside it; verifies the store first (after a crash: what it recovered).")
public final class StressCommand implements java.util.concurrent.Callable<Integer> {
    private static final long STATUS_INTERVAL_MS = 500;

    @Spec
    CommandSpec spec;

    @Option(names = "--db", description = "Store directory (default: ${DEFAULT-VALUE}).")
    Path db = Path.of("data", "stress");

    @Option(
            names = "--expected-state",
            description = "Expected-state file, outside the store; created with the "
                    + "store (default: the store directory's path + .expected).")
    Path expectedState;

    @Option(names = "--keys", description = "Size of the key space (default: ${DEFAULT-VALUE}).")
    int keys = 10_000;

    @Option(
            names = "--value-size",
            split = ",",
            paramLabel = "MIN,MAX",
            description = "Value sizes in bytes, at least " + ValueFormat.HEADER + " (default: 16,256).")
    List<Integer> valueSize = List.of(16, 256);

    @Option(names = "--threads", description = "Stress threads (default: ${DEFAULT-VALUE}).")
    int threads = 4;

    @Option(
            names = "--op-mix",
            split = ",",
            paramLabel = "OP=PERCENT",
            description = "Percentages of get, put, delete, batch, scan, snapshot; they must add up to 100 "
                    + "(default: get=25,put=35,delete=10,batch=15,scan=10,snapshot=5).")
    Map<Op, Integer> opMix = OpMix.DEFAULT;

    @Option(
            names = "--write-buffer-size",
            description = "Memtable bytes; small, so that flushes and compactions "
                    + "run all the time (default: ${DEFAULT-VALUE}).")
    long writeBufferSize = 64 * 1024;

    @Option(names = "--duration", description = "Seconds to run (default: ${DEFAULT-VALUE}).")
    double duration = 10;

    @Option(names = "--ops", description = "Operations to run in all, if fewer than --duration allows.")
    Long ops;

    @Option(names = "--sync", description = "Fsync every write (default: writes reach the OS, not the disk).")
    boolean sync;

    @Option(names = "--seed", description = "Seed of the threads' random choices (default: random; printed).")
    Long seed;

    @Option(names = "--verify-only", description = "Open, verify every key against the expected state, close.")
    boolean verifyOnly;

    public static void main(String[] args) {
        System.exit(new CommandLine(new StressCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args));
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ValueFormat format = validate();
        Path expected = expectedState != null ? expectedState : db.resolveSibling(db.getFileName() + ".expected");
        long runSeed = seed != null ? seed : ThreadLocalRandom.current().nextLong();
        out.printf(
                "stress: seed %d, %s, db %s, expected state %s, keys %d, value sizes %d..%d, threads %d, "
                        + "write buffer %d bytes%n",
                runSeed,
                sync ? "sync" : "unsynced",
                db,
                expected,
                keys,
                format.minSize(),
                format.maxSize(),
                threads,
                writeBufferSize);
        if (!Files.exists(expected)) {
            if (verifyOnly || !isEmptyOrMissing(db)) {
                throw usage("no expected-state file " + expected
                        + (verifyOnly
                                ? ""
                                : " for the store in " + db + ", which holds files: start with an empty store"));
            }
            ExpectedState.create(expected, keys, format);
        }
        ExpectedState state;
        try {
            state = ExpectedState.open(expected, keys, format);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        try (state) {
            out.println("before open: " + CrashRemains.inspect(db).describe());
            Options options = new Options()
                    .writeBufferSize(writeBufferSize)
                    .targetFileSize(writeBufferSize)
                    .maxBytesForLevelBase(4 * writeBufferSize)
                    .syncWal(sync);
            try (StrataDb store = StrataDb.open(db, options)) {
                if (!verify(out, "at open", store, state, format)) {
                    return 1;
                }
                if (verifyOnly) {
                    return 0;
                }
                if (!run(out, store, state, format, runSeed) || !verify(out, "after the run", store, state, format)) {
                    return 1;
                }
            }
            try (StrataDb store = StrataDb.open(db, options)) {
                return verify(out, "after a clean reopen", store, state, format) ? 0 : 1;
            }
        }
    }

    private ValueFormat validate() {
        if (keys < 1 || keys > KeySpace.MAX_KEYS) {
            throw usage("--keys must be 1.." + KeySpace.MAX_KEYS);
        }
        if (valueSize.size() != 2) {
            throw usage("--value-size takes MIN,MAX");
        }
        if (threads < 1 || duration <= 0 || (ops != null && ops < 0)) {
            throw usage("--threads and --duration must be positive, --ops not negative");
        }
        try {
            new Options().writeBufferSize(writeBufferSize);
            new OpMix(opMix);
            return new ValueFormat(valueSize.get(0), valueSize.get(1));
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /** Prints the verification report; settles the writes left in flight when it passed. */
    private static boolean verify(
            PrintWriter out, String when, StrataDb store, ExpectedState state, ValueFormat format) {
        Verifier v = Verifier.verify(store, state, format);
        List<String> report = v.report();
        out.println(when + ": " + report.get(0));
        report.subList(1, report.size()).forEach(line -> out.println("  " + line));
        out.flush();
        if (v.passed()) {
            v.settle();
        }
        return v.passed();
    }

    /** Runs the threads; false (after printing why) when a check failed. */
    private boolean run(PrintWriter out, StrataDb store, ExpectedState state, ValueFormat format, long runSeed)
            throws InterruptedException {
        OpMix mix = new OpMix(opMix);
        KeyLocks locks = new KeyLocks(keys);
        AtomicLong writeSeq = new AtomicLong();
        Map<Op, LongAdder> done = new EnumMap<>(Op.class);
        for (Op op : Op.values()) {
            done.put(op, new LongAdder());
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong opsLeft = new AtomicLong(ops != null ? ops : Long.MAX_VALUE);
        long start = System.nanoTime();
        long deadline = start + (long) (duration * 1e9);
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        SplittableRandom seeds = new SplittableRandom(runSeed);
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            StressWorker w = new StressWorker(
                    store,
                    state,
                    format,
                    locks,
                    mix,
                    sync,
                    writeSeq,
                    done,
                    () -> !stop.get() && System.nanoTime() < deadline && opsLeft.getAndDecrement() > 0,
                    seeds.nextLong());
            Thread t = new Thread(
                    () -> {
                        try {
                            w.run();
                        } catch (Throwable e) {
                            errors.add(e);
                            stop.set(true);
                        }
                    },
                    "stress-" + i);
            workers.add(t);
            t.start();
        }
        for (Thread t : workers) {
            while (t.isAlive()) {
                t.join(STATUS_INTERVAL_MS);
                out.println(status(start, done, store.statistics()));
                out.flush();
            }
        }
        Throwable error = errors.peek();
        if (error instanceof StressFailure f) {
            out.println("FAILED: " + f.getMessage());
            out.flush();
            return false;
        }
        if (error instanceof RuntimeException r) {
            throw r;
        }
        if (error instanceof Error e) {
            throw e;
        }
        return true;
    }

    private static String status(long start, Map<Op, LongAdder> done, Statistics s) {
        Map<Op, Long> byOp = new EnumMap<>(Op.class);
        long total = 0;
        for (Op op : Op.values()) {
            byOp.put(op, done.get(op).sum());
            total += done.get(op).sum();
        }
        return String.format(
                "status t=%.1fs ops=%d flushes=%d compactions=%d immutable=%d files=%s stalls=%s %s",
                (System.nanoTime() - start) / 1e9,
                total,
                s.flushes(),
                s.compactions(),
                s.immutableMemtables(),
                s.filesPerLevel(),
                s.stallWrites(),
                byOp);
    }

    private static boolean isEmptyOrMissing(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return true;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.findAny().isEmpty();
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
