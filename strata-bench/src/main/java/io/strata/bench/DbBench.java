package io.strata.bench;

import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * LevelDB's db_bench workloads, run against Strata and its peers in one process so that every
 * figure is a ratio measured on the same machine at the same time. Each run starts from an
 * empty directory; runs of the engines alternate so that machine noise hits them alike, and
 * the report gives the median of the runs.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Runs db_bench-style workloads against Strata and its peers and prints ops/s ratios.")
public final class DbBench implements Callable<Integer> {
    /** The command line running this command: standalone, or {@code strata bench}. */
    @Spec
    CommandSpec spec;

    @Option(names = "--db", description = "Base directory; each engine works in a subdirectory that is wiped per run (default: ${DEFAULT-VALUE}).")
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

    @Option(names = "--benchmarks", split = ",", description = "Workloads: fillrandom, fillseq, readrandom (readrandom reads what the fill before it wrote; default: ${DEFAULT-VALUE}).")
    List<String> benchmarks = List.of("fillrandom", "readrandom");

    @Option(names = "--seed", description = "Seed for keys and values (default: ${DEFAULT-VALUE}).")
    long seed = 301;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DbBench()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    private record Result(double opsPerSec, long p99Micros, long maxMicros) {}

    @Override
    public Integer call() throws Exception {
        for (String b : benchmarks) {
            if (!List.of("fillrandom", "fillseq", "readrandom").contains(b)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "unknown benchmark: " + b);
            }
        }
        System.out.printf("keys %d, key %d bytes, value %d bytes, runs %d, seed %d, engines %s%n",
                num, keySize, valueSize, runs, seed, engines);
        Map<Engine, Map<String, List<Result>>> results = new EnumMap<>(Engine.class);
        for (int run = 1; run <= runs; run++) {
            for (Engine engine : engines) {
                Path dir = base.resolve(engine.name().toLowerCase());
                wipe(dir);
                Files.createDirectories(dir);
                try (BenchStore store = engine.open(dir)) {
                    for (String b : benchmarks) {
                        Result r = runOne(b, store);
                        results.computeIfAbsent(engine, e -> new LinkedHashMap<>())
                                .computeIfAbsent(b, x -> new ArrayList<>()).add(r);
                        System.out.printf("run %d %-8s %-11s %,12.0f ops/s  p99 %,6d us  max %,8d us%n",
                                run, engine.name().toLowerCase(), b, r.opsPerSec, r.p99Micros, r.maxMicros);
                    }
                }
                wipe(dir);
            }
        }
        report(results);
        return 0;
    }

    private Result runOne(String benchmark, BenchStore store) throws Exception {
        // Separate streams: readrandom must draw the very keys fillrandom wrote.
        SplittableRandom keys = new SplittableRandom(seed);
        SplittableRandom values = new SplittableRandom(~seed);
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
                fill(values, value);
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
        return new Result(num / secs, latency.getValueAtPercentile(99), latency.getMaxValue());
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

    private void report(Map<Engine, Map<String, List<Result>>> results) {
        System.out.println();
        System.out.println("median of " + runs + " runs (ops/s; ratio = strata / peer)");
        for (String b : benchmarks) {
            double strata = median(results, Engine.STRATA, b);
            for (Engine e : engines) {
                double m = median(results, e, b);
                String ratio = e == Engine.STRATA || Double.isNaN(strata) ? "" : String.format("  strata/%s = %.2f",
                        e.name().toLowerCase(), strata / m);
                System.out.printf("%-11s %-8s %,12.0f%s%n", b, e.name().toLowerCase(), m, ratio);
            }
        }
    }

    private static double median(Map<Engine, Map<String, List<Result>>> results, Engine e, String b) {
        Map<String, List<Result>> byBench = results.get(e);
        if (byBench == null || !byBench.containsKey(b)) {
            return Double.NaN;
        }
        double[] v = byBench.get(b).stream().mapToDouble(Result::opsPerSec).sorted().toArray();
        return v[v.length / 2];
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
