package io.strata.bench;

import io.strata.Compression;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * LevelDB's db_bench suite against Strata and, with {@code --compare}, its peers side by side:
 * each step of each engine in a fresh JVM, the engines taking turns round after round, the median
 * of the rounds reported with each engine's ratio to each peer, as a Markdown table, a JSON file
 * and a PNG chart. Every read checks what it read, so a run on a store that loses or mixes up a
 * key fails instead of winning.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Runs LevelDB's db_bench workloads against Strata (with --compare also RocksJava, iq80 "
                + "LevelDB and LMDB), each in a fresh JVM, and writes the medians and ratios as Markdown, JSON and "
                + "a PNG chart.")
public final class DbBench implements Callable<Integer> {
    private static final long MIB = 1 << 20;

    /** The command line running this command: standalone, or {@code strata bench}. */
    @Spec
    CommandSpec spec;

    @Option(
            names = "--db",
            description = "Base directory; each engine's store is a subdirectory, wiped when a fill starts anew "
                    + "(default: ${DEFAULT-VALUE}).")
    Path base = Path.of("data", "bench");

    @Option(
            names = "--report",
            description = "Directory of the report: bench.md, bench.json, bench.png and the children's "
                    + "bench.log (default: report under --db; the runs leave it there).")
    Path reportOption;

    private Path reportDir;

    @Option(
            names = "--compare",
            description = "Runs every engine side by side (the same as --engines strata,rocksdb,leveldb,lmdb, "
                    + "unless --engines is given).")
    boolean compare;

    @Option(
            names = "--engines",
            split = ",",
            description = "Engines, the first one the chart's baseline: ${COMPLETION-CANDIDATES} (default: strata; "
                    + "with --compare all).")
    List<Engine> engines;

    @Option(
            names = "--benchmarks",
            split = ",",
            description = "Workloads in order, each NAME[:THREADS][@NUM], from: fillseq, fillrandom, overwrite, "
                    + "fillbatch, fillsync, readrandom, readmissing, readseq, readreverse, seekrandom, "
                    + "readwhilewriting, deleterandom (default: the whole suite, ${DEFAULT-VALUE}).")
    List<String> benchmarks = Workloads.SUITE;

    /** --compare's default key count: 4 engines x 3 rounds of the suite in about 15 minutes on 2 cores. */
    static final int COMPARE_NUM = 200_000;

    @Option(
            names = "--num",
            description = "Keys in the store (default: 1000000; with --compare " + COMPARE_NUM
                    + ", so that the comparison fits in 15 minutes on 2 cores).")
    Integer numOption;

    private int num;

    @Option(
            names = "--reads",
            description = "Keys each read workload reads (readrandom, readmissing, seekrandom, readwhilewriting; "
                    + "default: --num, so that every key is read and checked).")
    Integer reads;

    @Option(
            names = "--large-num",
            description = "Also loads this many keys (fillrandom) and reads them (readrandom) after the suite, "
                    + "e.g. 10000000 (default: 0, off: a 10 M load of every engine takes longer than the rest).")
    int largeNum;

    @Option(names = "--key-size", description = "Key bytes (default: ${DEFAULT-VALUE}).")
    int keySize = 16;

    @Option(names = "--value-size", description = "Value bytes (default: ${DEFAULT-VALUE}).")
    int valueSize = 100;

    @Option(
            names = "--threads",
            description = "Threads of each workload without its own :THREADS (default: ${DEFAULT-VALUE}).")
    int threads = 1;

    @Option(
            names = "--runs",
            description = "Rounds; the median of each metric is reported (default: ${DEFAULT-VALUE}).")
    int runs = 3;

    @Option(names = "--seed", description = "Seed of the key orders and values (default: ${DEFAULT-VALUE}).")
    long seed = 301;

    @Option(
            names = "--compression",
            split = ",",
            description = "Block compression: ${COMPLETION-CANDIDATES}; several run side by side, each on every "
                    + "engine that has it (default: ${DEFAULT-VALUE}).")
    List<Compression> compressions = List.of(Compression.NONE);

    @Option(
            names = "--compression-ratio",
            description = "Values compress to about this fraction, as db_bench's --compression_ratio (default: "
                    + "random bytes, incompressible).")
    Double compressionRatio;

    @Option(names = "--write-buffer-size", description = "Memtable bytes (default: ${DEFAULT-VALUE}).")
    long writeBuffer = 64 * MIB;

    @Option(names = "--cache-size", description = "Block cache bytes (default: ${DEFAULT-VALUE}).")
    long cacheSize = 64 * MIB;

    @Option(names = "--bloom-bits", description = "Bloom filter bits per key (default: ${DEFAULT-VALUE}).")
    int bloomBits = 10;

    @Option(names = "--block-size", description = "Table block bytes (default: ${DEFAULT-VALUE}).")
    int blockSize = 4096;

    @Option(names = "--batch-size", description = "Keys per batch of fillbatch (default: ${DEFAULT-VALUE}).")
    int batchSize = 1000;

    @Option(
            names = "--write-rate",
            description = "Writes per second of readwhilewriting's writer (default: ${DEFAULT-VALUE}).")
    int writeRate = 10_000;

    @Option(
            names = "--jvm-options",
            description = "Options of the child JVMs, space-separated (default: ${DEFAULT-VALUE}).")
    String jvmOptions = "-Xmx2g";

    @Option(
            names = "--child-timeout",
            description = "Minutes one child JVM may take before the run fails (default: ${DEFAULT-VALUE}).")
    int childTimeoutMinutes = 30;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DbBench())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args));
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    @Override
    public Integer call() throws Exception {
        num = numOption != null ? numOption : compare ? COMPARE_NUM : 1_000_000;
        reportDir = reportOption != null ? reportOption : base.resolve("report");
        if (num < 1 || runs < 1 || threads < 1 || largeNum < 0 || batchSize < 1 || writeRate < 1) {
            throw usage("--num, --runs, --threads, --batch-size and --write-rate must be positive");
        }
        if (compressionRatio != null && (compressionRatio <= 0 || compressionRatio > 1)) {
            throw usage("--compression-ratio must be in (0, 1]");
        }
        List<Step> steps = new ArrayList<>();
        try {
            for (String b : benchmarks) {
                steps.add(Step.parse(b, threads));
            }
            if (largeNum > 0) {
                steps.add(new Step("fillrandom", threads, largeNum));
                steps.add(new Step("readrandom", threads, largeNum));
            }
            for (Step s : steps) {
                new KeySpace(s.num() == 0 ? num : s.num(), keySize, valueSize);
            }
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        List<Engine> chosen = engines != null ? engines : compare ? List.of(Engine.values()) : List.of(Engine.STRATA);
        List<Variant> variants = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Compression c : compressions) {
            for (Engine e : chosen) {
                if (e.supports(c)) {
                    variants.add(new Variant(e, c));
                } else {
                    notes.add(e.label() + " has no " + c.name().toLowerCase(Locale.ROOT) + " compression: "
                            + "it did not run with it");
                }
            }
        }
        BenchConfig config = new BenchConfig(
                num,
                reads == null ? num : reads,
                keySize,
                valueSize,
                compressionRatio,
                seed,
                writeBuffer,
                cacheSize,
                bloomBits,
                blockSize,
                batchSize,
                writeRate);
        Plan plan = Plan.of(steps, variants, runs, config);
        notes.addAll(plan.notes());
        Map<String, Object> settings = settings(config, steps, variants);
        PrintWriter out = spec.commandLine().getOut();
        out.println("bench: " + settings);
        out.println("bench: " + plan.launches().size() + " child JVMs; their output goes to "
                + reportDir.resolve("bench.log"));
        Files.createDirectories(reportDir);
        Files.deleteIfExists(reportDir.resolve("bench.log"));
        ChildLauncher launcher = new ChildLauncher(
                Arrays.stream(jvmOptions.trim().split("\\s+", -1))
                        .filter(s -> !s.isEmpty())
                        .toList(),
                base.resolve(".runs"),
                reportDir.resolve("bench.log"),
                Duration.ofMinutes(childTimeoutMinutes));
        Machine machine = Machine.now();
        Instant started = Instant.now();
        List<RunResult> results = new ArrayList<>();
        try {
            run(plan, launcher, config, results, out, started);
        } catch (BenchFailure e) {
            System.err.println("bench: FAILED: " + e.getMessage());
            return 1;
        }
        double minutes = Duration.between(started, Instant.now()).toMillis() / 60_000.0;
        List<Row> rows = Row.of(results, steps, variants);
        Report report = new Report(
                machine,
                Machine.currentLoadAverage(),
                started.truncatedTo(ChronoUnit.SECONDS).toString(),
                minutes,
                settings,
                notes,
                rows,
                results);
        ReportFiles.Written written = ReportFiles.write(reportDir, report, variants, runs);
        out.println();
        out.print(written.markdown());
        out.println();
        out.println("bench: wrote " + reportDir.resolve(ReportFiles.MARKDOWN) + ", "
                + reportDir.resolve(ReportFiles.JSON)
                + (written.chart()
                        ? " and " + reportDir.resolve(ReportFiles.CHART)
                        : " (no chart: no peer to compare with)"));
        return 0;
    }

    private void run(
            Plan plan,
            ChildLauncher launcher,
            BenchConfig config,
            List<RunResult> results,
            PrintWriter out,
            Instant started)
            throws Exception {
        List<Launch> launches = plan.launches();
        Variant previous = null;
        for (int i = 0; i < launches.size(); i++) {
            Launch l = launches.get(i);
            if (previous != null && !previous.equals(l.variant())) {
                Dirs.wipe(base.resolve(previous.directoryName())); // its round is over: free the disk
            }
            previous = l.variant();
            ChildRequest request = new ChildRequest(
                    l.round(),
                    l.variant(),
                    l.step(),
                    config,
                    base.resolve(l.variant().directoryName()).toString(),
                    l.fresh());
            RunResult r = launcher.run(request);
            Duration elapsed = Duration.between(started, Instant.now());
            Duration left = elapsed.multipliedBy(launches.size() - i - 1).dividedBy(i + 1);
            String what = l.measured()
                    ? String.format(
                            Locale.ROOT,
                            "%,12.0f ops/s %8.1f MB/s  p99 %9.1f us  max %,10.0f us%s",
                            r.opsPerSec(),
                            r.mbPerSec(),
                            r.p99Micros(),
                            r.maxMicros(),
                            r.writeAmplification() == null
                                    ? ""
                                    : String.format(Locale.ROOT, "  write-amp %.2f", r.writeAmplification()))
                    : "loaded (not measured)";
            out.printf(
                    Locale.ROOT,
                    "[%3d/%d %s, ~%s left] round %d %-13s %-18s %s%n",
                    i + 1,
                    launches.size(),
                    minutes(elapsed),
                    minutes(left),
                    l.round(),
                    l.variant().label(),
                    l.step().label(),
                    what);
            if (l.measured()) {
                results.add(r);
            }
        }
        if (previous != null) {
            Dirs.wipe(base.resolve(previous.directoryName()));
        }
        Dirs.wipe(base.resolve(".runs"));
    }

    private static String minutes(Duration d) {
        return String.format(Locale.ROOT, "%d:%02d", d.toMinutes(), d.toSecondsPart());
    }

    private Map<String, Object> settings(BenchConfig config, List<Step> steps, List<Variant> variants) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("keys", config.num());
        s.put("reads", config.reads());
        s.put("keyBytes", config.keySize());
        s.put("valueBytes", config.valueSize());
        s.put("values", compressionRatio == null ? "random bytes" : "compression ratio " + compressionRatio);
        s.put("engines", variants.stream().map(Variant::label).toList());
        s.put("workloads", steps.stream().map(Step::label).toList());
        s.put("rounds", runs);
        s.put("writeBufferBytes", config.writeBufferBytes());
        s.put("blockCacheBytes", config.cacheBytes());
        s.put("bloomBitsPerKey", config.bloomBitsPerKey());
        s.put("blockBytes", config.blockSize());
        s.put("wal", "on, fsync per write only in fillsync");
        s.put("batchKeys", config.batchSize());
        s.put("readWhileWritingWritesPerSec", config.writeRate());
        s.put("seed", config.seed());
        s.put("childJvmOptions", jvmOptions);
        return s;
    }
}
