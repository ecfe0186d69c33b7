package io.strata.bench;

/** Run results made up for the report's tests. */
final class Results {
    private Results() {}

    /** A run whose every metric derives from {@code opsPerSec}, so medians are easy to tell. */
    static RunResult run(int round, String engine, String step, double opsPerSec, Double writeAmp) {
        return new RunResult(
                round,
                engine,
                "none",
                step,
                1000,
                1000 / opsPerSec,
                opsPerSec,
                opsPerSec * 116 / 1e6,
                1e6 / opsPerSec,
                2e6 / opsPerSec,
                3e6 / opsPerSec,
                4e6 / opsPerSec,
                (long) opsPerSec * 10,
                1000,
                writeAmp,
                round,
                round / 10.0);
    }
}
