package io.strata.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.HdrHistogram.Histogram;

/**
 * The child JVM of one measured run ({@link ChildLauncher} starts it): reads a {@link
 * ChildRequest}, runs the step and writes a {@link ChildOutcome}; exits 1 if the step failed,
 * among others because the store read back something wrong.
 *
 * <pre>java ... io.strata.bench.BenchChild REQUEST.json OUTCOME.json</pre>
 */
public final class BenchChild {
    static final ObjectMapper JSON = new ObjectMapper();

    private BenchChild() {}

    /** How a run opens its store: the engine's own way, or a test's wrapper of it. */
    interface Opener {
        BenchStore open(Path dir, StoreOptions options) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        ChildRequest request = JSON.readValue(new File(args[0]), ChildRequest.class);
        ChildOutcome outcome;
        try {
            outcome = new ChildOutcome(
                    measure(request, (dir, o) -> request.variant().engine().open(dir, o)), null);
        } catch (Exception e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            System.err.print(trace);
            outcome = new ChildOutcome(null, String.valueOf(e.getMessage()));
        }
        JSON.writeValue(new File(args[1]), outcome);
        System.exit(outcome.result() == null ? 1 : 0);
    }

    /** Runs the request's step on a store that {@code opener} opens, and measures it. */
    static RunResult measure(ChildRequest r, Opener opener) throws Exception {
        Workload w = r.step().workload();
        BenchConfig c = r.step().config(r.config());
        Path dir = Path.of(r.dir());
        if (r.fresh()) {
            Dirs.wipe(dir);
        }
        Files.createDirectories(dir);
        Probe before;
        long ops;
        double seconds;
        Histogram latency;
        try (BenchStore store = opener.open(dir, c.storeOptions(r.variant().compression(), w.sync()))) {
            Trial trial = new Trial(store, c, r.step().threads());
            before = Probe.now();
            long start = System.nanoTime();
            ops = w.run(trial);
            seconds = (System.nanoTime() - start) / 1e9;
            if (w.writes()) {
                store.flush();
            }
            w.verify(trial);
            latency = trial.latency();
        }
        Probe after = Probe.now();
        long userBytes = ops * w.bytesPerOp(c);
        long written = before.writeBytes() < 0 ? -1 : after.writeBytes() - before.writeBytes();
        return new RunResult(
                r.round(),
                r.variant().engine().label(),
                r.variant().compression().name().toLowerCase(java.util.Locale.ROOT),
                r.step().label(),
                ops,
                seconds,
                ops / seconds,
                userBytes / seconds / 1e6,
                latency.getValueAtPercentile(50) / 1e3,
                latency.getValueAtPercentile(99) / 1e3,
                latency.getValueAtPercentile(99.9) / 1e3,
                latency.getMaxValue() / 1e3,
                Dirs.bytes(dir),
                written,
                w.writes() && written >= 0 && userBytes > 0 ? (double) written / userBytes : null,
                after.gcMillis() - before.gcMillis(),
                (after.cpuNanos() - before.cpuNanos()) / 1e9);
    }
}
