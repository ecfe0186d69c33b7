package io.strata.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** The median of repeated runs: the middle value, or the mean of the two middle ones. */
final class Median {
    private Median() {}

    static double of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("the median of no values");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** The median of the values that are not null, or null if none is. */
    static Double ofPresent(List<Double> values) {
        double[] present = values.stream()
                .filter(Objects::nonNull)
                .mapToDouble(Double::doubleValue)
                .toArray();
        return present.length == 0 ? null : of(present);
    }
}
