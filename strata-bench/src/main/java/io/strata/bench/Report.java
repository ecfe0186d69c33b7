package io.strata.bench;

import java.util.List;
import java.util.Map;

/**
 * Everything one invocation measured: the machine (with the load average before and after),
 * the settings, notes on what was skipped and why, the medians with their ratios, and every run.
 */
record Report(
        Machine machine,
        String loadAverageAfter,
        String started,
        double minutes,
        Map<String, Object> settings,
        List<String> notes,
        List<Row> rows,
        List<RunResult> runs) {}
