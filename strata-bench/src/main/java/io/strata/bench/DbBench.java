package io.strata.bench;

import io.strata.Compression;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * LevelDB's db_bench workloads, run against Strata and its peers in one process so that every
 * figure is a ratio measured on the same machine at the same time. Each run starts from an
 * empty directory; runs of the engines (and compression settings) alternate, each run starting
 * with the next one, so that machine noise and JIT warm-up hit them alike, and the report gives
 * the median of the runs.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Runs db_bench-style workloads against Strata and its peers and prints ops/s ratios.")
public final class DbBench implements Callable<Integer> {
    /** The command line running this command: standalone, or {@code strata bench}. */
    @Spec
    CommandSpec spec;

    @Option(
            names = "--db",
            description = "Base directory; each engine works in a subdirectory that is wiped per run (default: "
                    + "${DEFAULT-VALUE}).")
    Path base = Path.of("data", "bench");

    @Option(names = "--num", description = "Keys per run (default: ${DEFAULT-VALUE}).")
    int num = 1_000_000;

    @Option(names = "--key-size", description = "Key bytes (default: ${DEFAULT-VALUE}).")
    int keySize = 16;

    @Option(names = "--value-size", description = "Value bytes (default: ${DEFAULT-VALUE}).")
    int valueSize = 100;

    @Option(names = "--runs", description = "Runs per engine; the median is reported (default: ${DEFAULT-VALUE}).")
    int runs = 3;

    @Option(names = "--engines", split = ",", description = "Engines: ${COMPLETION-CANDIDATES} (default: all).")
    List<Engine> engines = List.of(Engine.values());

    @Option(
            names = "--benchmarks",
            split = ",",
            description = "Workloads: fillrandom, fillseq, readrandom (readrandom reads what the fill before it "
                    + "wrote; default: ${DEFAULT-VALUE}).")
    List<String> benchmarks = List.of("fillrandom", "readrandom");

    @Option(names = "--seed", description = "Seed for keys and values (default: ${DEFAULT-VALUE}).")
    long seed = 301;

    @Option(
            names = "--compression",
            split = ",",
            description = "Block compression: ${COMPLETION-CANDIDATES}; "
                    + "several run alternately, each against every engine that has it (default: ${DEFAULT-VALUE}).")
    List<Compression> compressions = List.of(Compression.NONE);

    @Option(
            names = "--compression-ratio",
            description = "Values compress to about this fraction, as db_bench's "
                    + "--compression_ratio: each 100 bytes of the value pool repeat a random printable string of "
                    + "100 x ratio bytes (default: random bytes, incompressible).")
    Double compressionRatio;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DbBench())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args));
    }

    /** One measured run; {@code tableBytes} is the size of the store's tables after a fill, else -1. */
    private record Result(double opsPerSec, long p99Micros, long p999Micros, long maxMicros, long tableBytes) {}

    /** An engine with a compression setting: what a column of the report is. */
    private record Variant(Engine engine, Compression compression) {
        String label() {
            return engine.name().toLowerCase(Locale.ROOT) + "/"
                    + compression.name().toLowerCase(Locale.ROOT);
        }
    }

    @Override
    public Integer call() throws Exception {
        for (String b : benchmarks) {
            if (!List.of("fillrandom", "fillseq", "readrandom").contains(b)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "unknown benchmark: " + b);
            }
        }
        if (compressionRatio != null && (compressionRatio <= 0 || compressionRatio > 1)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--compression-ratio must be in (0, 1]");
        }
        List<Variant> variants = new ArrayList<>();
        for (Compression c : compressions) {
            for (Engine e : engines) {
                if (e.supports(c)) {
                    variants.add(new Variant(e, c));
                } else {
                    System.out.printf(
                            "%s has no %s compression: skipped with it%n",
                            e.name().toLowerCase(Locale.ROOT), c);
                }
            }
        }
        System.out.printf(
                "keys %d, key %d bytes, value %d bytes (%s), runs %d, seed %d, engines %s, compression %s%n",
                num,
                keySize,
                valueSize,
                compressionRatio == null ? "random bytes" : "compression ratio " + compressionRatio,
                runs,
                seed,
                engines,
                compressions);
        Map<Variant, Map<String, List<Result>>> results = new LinkedHashMap<>();
        for (int run = 1; run <= runs; run++) {
            // Each run starts with the next variant, so that JIT warm-up and machine noise
            // do not always fall on the same one.
            for (int i = 0; i < variants.size(); i++) {
                Variant v = variants.get((i + run - 1) % variants.size());
                Path dir = base.resolve(v.engine().name().toLowerCase(Locale.ROOT));
                wipe(dir);
                Files.createDirectories(dir);
                try (BenchStore store = v.engine().open(dir, v.compression())) {
                    for (String b : benchmarks) {
                        Result r = runOne(b, store, dir);
                        results.computeIfAbsent(v, e -> new LinkedHashMap<>())
                                .computeIfAbsent(b, x -> new ArrayList<>())
                                .add(r);
                        System.out.printf(
                                "run %d %-14s %-11s %,12.0f ops/s  p99 %,6d us  p99.9 %,7d us  max %,8d us%s%s%n",
                                run,
                                v.label(),
                                b,
                                r.opsPerSec,
                                r.p99Micros,
                                r.p999Micros,
                                r.maxMicros,
                                r.tableBytes < 0
                                        ? ""
                                        : String.format(
                                                "  tables %.1f MiB (%.2f x raw)",
                                                r.tableBytes / 1048576.0,
                                                (double) r.tableBytes / ((long) num * (keySize + valueSize))),
                                b.equals("readrandom") ? "" : store.describe());
                    }
                }
                wipe(dir);
            }
        }
        report(results);
        return 0;
    }

    private Result runOne(String benchmark, BenchStore store, Path dir) throws Exception {
        // Separate streams: readrandom must draw the very keys fillrandom wrote.
        SplittableRandom keys = new SplittableRandom(seed);
        SplittableRandom values = new SplittableRandom(~seed);
        ValuePool pool = compressionRatio == null ? null : new ValuePool(new SplittableRandom(~seed), compressionRatio);
        byte[] value = new byte[valueSize];
        Histogram latency = new Histogram(3_600_000_000L, 3);
        long start = System.nanoTime();
        int found = 0;
        for (int i = 0; i < num; i++) {
            byte[] key = benchmark.equals("fillseq") ? seqKey(i) : randomKey(keys);
            long t0 = System.nanoTime();
            if (benchmark.equals("readrandom")) {
                found += store.get(key) != null ? 1 : 0;
            } else {
                if (pool != null) {
                    pool.next(value);
                } else {
                    fill(values, value);
                }
                store.put(key, value);
            }
            latency.recordValue(Math.max(0, (System.nanoTime() - t0) / 1000));
        }
        if (!benchmark.equals("readrandom")) {
            store.flush();
        } else if (found != num) {
            throw new IllegalStateException("readrandom found " + found + " of " + num + " keys");
        }
        double secs = (System.nanoTime() - start) / 1e9;
        return new Result(
                num / secs,
                latency.getValueAtPercentile(99),
                latency.getValueAtPercentile(99.9),
                latency.getMaxValue(),
                benchmark.equals("readrandom") ? -1 : tableBytes(dir));
    }

    /**
     * db_bench's value generator: a 1 MiB pool of 100-byte pieces, each a random printable
     * string of {@code 100 * ratio} bytes repeated to fill it; values are consecutive slices.
     */
    private static final class ValuePool {
        private final byte[] data;
        private int pos;

        ValuePool(SplittableRandom rnd, double ratio) {
            data = new byte[1 << 20];
            int raw = Math.max(1, (int) (100 * ratio));
            byte[] piece = new byte[raw];
            for (int off = 0; off < data.length; off += 100) {
                for (int i = 0; i < raw; i++) {
                    piece[i] = (byte) (' ' + rnd.nextInt(95));
                }
                for (int i = 0; i < 100 && off + i < data.length; i++) {
                    data[off + i] = piece[i % raw];
                }
            }
        }

        void next(byte[] value) {
            if (pos + value.length > data.length) {
                pos = 0;
            }
            System.arraycopy(data, pos, value, 0, value.length);
            pos += value.length;
        }
    }

    /**
     * Bytes of the store's table files (.sst, and iq80's .ldb): what compression changes. WAL
     * segments are left out: a store may still be deleting one when its flush returns.
     */
    private static long tableBytes(Path dir) throws IOException {
        long[] total = {0};
        // A store may delete a file (a compacted table) while we count.
        Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(
                    Path file, java.nio.file.attribute.BasicFileAttributes attrs) {
                String name = file.getFileName().toString();
                if (name.endsWith(".sst") || name.endsWith(".ldb")) {
                    total[0] += attrs.size();
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }

    private byte[] seqKey(int i) {
        byte[] key = new byte[keySize];
        for (int j = keySize - 1, v = i; j >= 0 && v != 0; j--, v >>>= 8) {
            key[j] = (byte) v;
        }
        return key;
    }

    private byte[] randomKey(SplittableRandom rnd) {
        byte[] key = new byte[keySize];
        fill(rnd, key);
        return key;
    }

    private static void fill(SplittableRandom rnd, byte[] b) {
        for (int i = 0; i < b.length; i += 8) {
            long v = rnd.nextLong();
            for (int j = 0; j < 8 && i + j < b.length; j++) {
                b[i + j] = (byte) (v >>> (8 * j));
            }
        }
    }

    private void report(Map<Variant, Map<String, List<Result>>> results) {
        System.out.println();
        System.out.println("median of " + runs + " runs (ops/s; ratio = strata / peer with the same compression; "
                + "tables = size of the table files after the fill)");
        for (String b : benchmarks) {
            for (Compression c : compressions) {
                double strata = median(results, new Variant(Engine.STRATA, c), b, Result::opsPerSec);
                for (Engine e : engines) {
                    Variant v = new Variant(e, c);
                    if (!results.containsKey(v)) {
                        continue;
                    }
                    double m = median(results, v, b, Result::opsPerSec);
                    double disk = median(results, v, b, r -> r.tableBytes);
                    String ratio = e == Engine.STRATA || Double.isNaN(strata)
                            ? ""
                            : String.format("  strata/%s = %.2f", e.name().toLowerCase(Locale.ROOT), strata / m);
                    System.out.printf(
                            "%-11s %-14s %,12.0f%s%s%n",
                            b,
                            v.label(),
                            m,
                            disk < 0 ? "" : String.format("  tables %.1f MiB", disk / 1048576.0),
                            ratio);
                }
            }
            if (compressions.size() > 1 && engines.contains(Engine.STRATA)) {
                Compression first = compressions.get(0);
                double base = median(results, new Variant(Engine.STRATA, first), b, Result::opsPerSec);
                for (Compression c : compressions.subList(1, compressions.size())) {
                    System.out.printf(
                            "%-11s strata/%s vs strata/%s: %.2f%n",
                            b,
                            c.name().toLowerCase(Locale.ROOT),
                            first.name().toLowerCase(Locale.ROOT),
                            median(results, new Variant(Engine.STRATA, c), b, Result::opsPerSec) / base);
                }
            }
        }
    }

    private static double median(
            Map<Variant, Map<String, List<Result>>> results,
            Variant v,
            String b,
            java.util.function.ToDoubleFunction<Result> metric) {
        Map<String, List<Result>> byBench = results.get(v);
        if (byBench == null || !byBench.containsKey(b)) {
            return Double.NaN;
        }
        double[] values = byBench.get(b).stream().mapToDouble(metric).sorted().toArray();
        return values[values.length / 2];
    }

    private static void wipe(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
