package io.strata.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs each step in a fresh JVM (so that no run inherits another's JIT state, heap or page
 * cache of objects), on this JVM's class path, with the given JVM options and the ones LMDB
 * needs; the children's output goes to one log file.
 */
final class ChildLauncher {
    /** lmdbjava reaches into java.nio's buffers. */
    static final List<String> LMDB_OPENS =
            List.of("--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED");

    private final List<String> jvmOptions;
    private final Path work;
    private final Path log;
    private final Duration timeout;

    /** {@code work} holds the requests and outcomes while a child runs. */
    ChildLauncher(List<String> jvmOptions, Path work, Path log, Duration timeout) {
        this.jvmOptions = List.copyOf(jvmOptions);
        this.work = work;
        this.log = log;
        this.timeout = timeout;
    }

    /** Runs the request in a child JVM; throws, with the child's reason, if it failed. */
    RunResult run(ChildRequest request) throws IOException, InterruptedException {
        Files.createDirectories(work);
        Path in = Files.createTempFile(work, "request", ".json");
        Path out = Files.createTempFile(work, "outcome", ".json");
        try {
            BenchChild.JSON.writeValue(in.toFile(), request);
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.addAll(LMDB_OPENS);
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(BenchChild.class.getName());
            command.add(in.toString());
            command.add(out.toString());
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                throw new BenchFailure(describe(request) + " took longer than " + timeout + "; see " + log);
            }
            ChildOutcome outcome =
                    Files.size(out) == 0 ? null : BenchChild.JSON.readValue(out.toFile(), ChildOutcome.class);
            if (outcome == null || outcome.result() == null) {
                throw new BenchFailure(describe(request) + " failed (exit " + p.exitValue() + "): "
                        + (outcome == null ? "no outcome" : outcome.error()) + "; see " + log);
            }
            return outcome.result();
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
    }

    static String describe(ChildRequest r) {
        return "round " + r.round() + " " + r.variant().label() + " " + r.step().label();
    }
}
