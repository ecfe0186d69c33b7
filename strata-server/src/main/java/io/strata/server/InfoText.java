package io.strata.server;

import java.util.Locale;

/** The text INFO replies: sections of {@code name:value} lines, each section under its {@code # Title}. */
final class InfoText {
    private final StringBuilder sb = new StringBuilder();

    /** Starts a section (a blank line before every one but the first). */
    InfoText title(String title) {
        if (sb.length() > 0) {
            sb.append("\r\n");
        }
        sb.append("# ").append(title).append("\r\n");
        return this;
    }

    InfoText line(String name, Object value) {
        sb.append(name).append(':').append(value).append("\r\n");
        return this;
    }

    /** Lines already in INFO's form ({@code name:value\r\n} each). */
    InfoText raw(String lines) {
        sb.append(lines);
        return this;
    }

    /** A value with two decimals, as Redis prints ratios and kbps. */
    InfoText decimal(String name, double value) {
        return line(name, String.format(Locale.ROOT, "%.2f", value));
    }

    /** Redis's human-readable size: 1023B, 1.00K, 2.50M, ... */
    static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + "B";
        }
        String[] units = {"K", "M", "G", "T", "P"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.2f%s", v, units[u]);
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
