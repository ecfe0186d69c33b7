package io.strata.server;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * The latency-tracking and latency-tracking-info-percentiles parameters: whether each command's
 * latency goes into its histogram ({@link CommandStats}), and which percentiles INFO latencystats
 * shows (Redis's defaults: on, 50 99 99.9). Written by CONFIG SET, read by every command thread:
 * volatile fields, the percentiles an array never changed once published.
 */
final class LatencyTracking {
    private volatile boolean enabled = true;
    private volatile double[] percentiles = {50, 99, 99.9};

    boolean enabled() {
        return enabled;
    }

    void enabled(boolean on) {
        enabled = on;
    }

    /** The percentiles to show; the caller must not change the array. */
    double[] percentiles() {
        return percentiles;
    }

    /** CONFIG GET's value: the percentiles as Redis prints them ("50 99 99.9"). */
    String describe() {
        StringJoiner j = new StringJoiner(" ");
        for (double p : percentiles) {
            j.add(format(p));
        }
        return j.toString();
    }

    /**
     * CONFIG SET's value: percentiles separated by spaces, each from 0 to 100; an empty value
     * shows none.
     *
     * @throws IllegalArgumentException naming what is wrong; nothing is changed then
     */
    void percentiles(String value) {
        String trimmed = value.trim();
        String[] words = trimmed.isEmpty() ? new String[0] : trimmed.split(" +", -1);
        double[] parsed = new double[words.length];
        for (int i = 0; i < words.length; i++) {
            try {
                parsed[i] = Double.parseDouble(words[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Invalid latency-tracking-info-percentiles parameters", e);
            }
            if (!(parsed[i] >= 0 && parsed[i] <= 100)) {
                throw new IllegalArgumentException(
                        "latency-tracking-info-percentiles parameters should be " + "between 0.0 and 100.0");
            }
        }
        percentiles = parsed;
    }

    /** A percentile as Redis prints it: no trailing zeros, no trailing point (50, 99.9). */
    static String format(double p) {
        String s = BigDecimal.valueOf(p).stripTrailingZeros().toPlainString();
        return s.toLowerCase(Locale.ROOT);
    }
}
