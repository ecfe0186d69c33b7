package io.strata.server;

import java.util.Locale;

/**
 * The kinds of value CONFIG SET, the config file and the command line take, parsed as Redis parses
 * them; each throws IllegalArgumentException with Redis's words for a bad value.
 */
final class ConfigValues {
    private ConfigValues() {}

    /** acl-pubsub-default: true for allchannels. */
    static boolean aclPubsubDefault(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "allchannels" -> true;
            case "resetchannels" -> false;
            default ->
                throw new IllegalArgumentException(
                        "argument(s) must be one of the following: allchannels, " + "resetchannels");
        };
    }

    static String nonNull(Object s) {
        return s == null ? "" : s.toString();
    }

    static java.nio.file.Path toPath(String v) {
        if (v.isEmpty()) {
            throw new IllegalArgumentException("argument must be a path");
        }
        try {
            return java.nio.file.Path.of(v);
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException("argument must be a path: " + e.getMessage(), e);
        }
    }

    static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    static boolean toBool(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "yes" -> true;
            case "no" -> false;
            default -> throw new IllegalArgumentException("argument must be 'yes' or 'no'");
        };
    }

    static int toInt(String v) {
        long l = toLong(v);
        if (l > Integer.MAX_VALUE || l < Integer.MIN_VALUE) {
            throw new IllegalArgumentException(
                    "argument must be between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE);
        }
        return (int) l;
    }

    static long toLong(String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("argument couldn't be parsed into an integer");
        }
    }

    /** A size with Redis's units: b, k, kb, m, mb, g, gb (case-insensitive). */
    static long toMemory(String v) {
        String s = v.toLowerCase(Locale.ROOT);
        long mul = 1;
        String[][] units = {
            {"kb", "1024"},
            {"mb", "1048576"},
            {"gb", "1073741824"},
            {"k", "1000"},
            {"m", "1000000"},
            {"g", "1000000000"},
            {"b", "1"}
        };
        for (String[] u : units) {
            if (s.endsWith(u[0])) {
                mul = Long.parseLong(u[1]);
                s = s.substring(0, s.length() - u[0].length());
                break;
            }
        }
        try {
            return Math.multiplyExact(Long.parseLong(s), mul);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("argument must be a memory value");
        }
    }
}
