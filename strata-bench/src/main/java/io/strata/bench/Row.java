package io.strata.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * One line of the report: the medians over the runs of one step on one variant, each metric's
 * median taken on its own, and {@code ratios}: this variant's median ops/s over each peer's (the
 * other variants with the same compression, by label) on the same step.
 */
record Row(
        String step,
        String variant,
        int runs,
        double opsPerSec,
        double mbPerSec,
        double p50Micros,
        double p99Micros,
        double p999Micros,
        double maxMicros,
        double diskBytes,
        Double writeAmplification,
        double gcMillis,
        double cpuSeconds,
        Map<String, Double> ratios) {

    /** The rows of {@code runs}, in the order of {@code steps} and then {@code variants}. */
    static List<Row> of(List<RunResult> runs, List<Step> steps, List<Variant> variants) {
        List<Row> medians = new ArrayList<>();
        for (Step s : steps) {
            for (Variant v : variants) {
                List<RunResult> mine = runs.stream()
                        .filter(r -> r.step().equals(s.label()) && r.variant().equals(v.label()))
                        .toList();
                if (!mine.isEmpty()) {
                    medians.add(median(s.label(), v.label(), mine));
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Row r : medians) {
            Map<String, Double> ratios = new LinkedHashMap<>();
            for (Row peer : medians) {
                if (!peer.variant.equals(r.variant)
                        && peer.step.equals(r.step)
                        && compression(peer).equals(compression(r))) {
                    ratios.put(peer.variant, r.opsPerSec / peer.opsPerSec);
                }
            }
            rows.add(r.withRatios(ratios));
        }
        return rows;
    }

    private static String compression(Row r) {
        return r.variant.substring(r.variant.indexOf('/') + 1);
    }

    private static Row median(String step, String variant, List<RunResult> runs) {
        return new Row(
                step,
                variant,
                runs.size(),
                median(runs, RunResult::opsPerSec),
                median(runs, RunResult::mbPerSec),
                median(runs, RunResult::p50Micros),
                median(runs, RunResult::p99Micros),
                median(runs, RunResult::p999Micros),
                median(runs, RunResult::maxMicros),
                median(runs, RunResult::diskBytes),
                Median.ofPresent(
                        runs.stream().map(RunResult::writeAmplification).toList()),
                median(runs, RunResult::gcMillis),
                median(runs, RunResult::cpuSeconds),
                Map.of());
    }

    private static double median(List<RunResult> runs, ToDoubleFunction<RunResult> metric) {
        return Median.of(runs.stream().mapToDouble(metric).toArray());
    }

    private Row withRatios(Map<String, Double> r) {
        return new Row(
                step,
                variant,
                runs,
                opsPerSec,
                mbPerSec,
                p50Micros,
                p99Micros,
                p999Micros,
                maxMicros,
                diskBytes,
                writeAmplification,
                gcMillis,
                cpuSeconds,
                r);
    }
}
