package io.strata.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * A PNG bar chart of the first variant's median ops/s over each peer's (the other variants with
 * its compression), one group of bars per workload that all of them ran, on a log scale so that
 * 2x faster and 2x slower are as tall.
 */
final class RatioChart {
    private RatioChart() {}

    /** Writes the chart; returns false (writing nothing) when there is no peer to compare with. */
    static boolean write(Path png, List<Row> rows, List<Variant> variants, int runs) throws IOException {
        Variant base = variants.get(0);
        List<Variant> peers = variants.stream()
                .filter(v -> !v.equals(base) && v.compression() == base.compression())
                .toList();
        List<String> steps = rows.stream().map(Row::step).distinct().toList();
        List<String> shared = steps.stream()
                .filter(s -> ratio(rows, s, base, peers.isEmpty() ? base : peers.get(0)) != null
                        && peers.stream().allMatch(p -> ratio(rows, s, base, p) != null))
                .toList();
        if (peers.isEmpty() || shared.isEmpty()) {
            return false;
        }
        System.setProperty("java.awt.headless", "true");
        CategoryChart chart = new CategoryChartBuilder()
                .width(1400)
                .height(700)
                .title(base.label() + " ops/s ÷ each peer's (median of " + runs + " runs; above 1: "
                        + base.engine().label() + " is faster)")
                .xAxisTitle("workload")
                .yAxisTitle("ratio")
                .build();
        chart.getStyler().setYAxisLogarithmic(true);
        // Bars rise from the axis' minimum, which on a log scale must be set above 0.
        double lo = 1;
        double hi = 1;
        for (Variant p : peers) {
            for (String s : shared) {
                lo = Math.min(lo, ratio(rows, s, base, p));
                hi = Math.max(hi, ratio(rows, s, base, p));
            }
        }
        chart.getStyler().setYAxisMin(lo / 1.5);
        chart.getStyler().setYAxisMax(hi * 1.5);
        chart.getStyler().setXAxisLabelRotation(45);
        // A log axis labels only powers of 10: each bar carries its ratio instead.
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 10));
        chart.getStyler().setLabelsFontColorAutomaticEnabled(false);
        chart.getStyler().setLabelsFontColor(java.awt.Color.BLACK);
        chart.getStyler().setLabelsRotation(90);
        chart.getStyler().setDecimalPattern("0.00");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        for (Variant p : peers) {
            List<Double> ys = new ArrayList<>();
            for (String s : shared) {
                ys.add(ratio(rows, s, base, p));
            }
            chart.addSeries("÷ " + p.label(), shared, ys);
        }
        try (OutputStream out = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
        return true;
    }

    private static Double ratio(List<Row> rows, String step, Variant base, Variant peer) {
        return rows.stream()
                .filter(r -> r.step().equals(step) && r.variant().equals(base.label()))
                .map(r -> r.ratios().get(peer.label()))
                .filter(Objects::nonNull)
                .findFirst()
                .orElse(null);
    }
}
