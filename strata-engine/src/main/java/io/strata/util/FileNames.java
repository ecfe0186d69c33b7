package io.strata.util;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of the files in a store directory. Every WAL segment, SSTable and MANIFEST takes its
 * number from one counter, so numbers are unique across kinds and increase with age.
 */
public final class FileNames {
    private FileNames() {}

    public static final String CURRENT = "CURRENT";
    public static final String LOCK = "LOCK";
    /** Suffix of a file being written that is renamed into place when complete. */
    public static final String TEMP_SUFFIX = ".tmp";

    public enum Kind {
        WAL,
        TABLE,
        MANIFEST,
        CURRENT,
        LOCK,
        TEMP
    }

    /** A parsed file name: its kind and, for numbered kinds, its number (else -1). */
    public record Parsed(Kind kind, long number) {}

    private static final Pattern NUMBERED = Pattern.compile("(\\d{6,})\\.(wal|sst)");
    private static final Pattern MANIFEST = Pattern.compile("MANIFEST-(\\d{6,})");

    public static String wal(long number) {
        return padded(number) + ".wal";
    }

    public static String table(long number) {
        return padded(number) + ".sst";
    }

    public static String manifest(long number) {
        return "MANIFEST-" + padded(number);
    }

    /** The kind and number of a file name, or null for a file the store does not own. */
    public static Parsed parse(String name) {
        Matcher m = NUMBERED.matcher(name);
        if (m.matches()) {
            return new Parsed(m.group(2).equals("wal") ? Kind.WAL : Kind.TABLE, Long.parseLong(m.group(1)));
        }
        m = MANIFEST.matcher(name);
        if (m.matches()) {
            return new Parsed(Kind.MANIFEST, Long.parseLong(m.group(1)));
        }
        if (name.equals(CURRENT)) {
            return new Parsed(Kind.CURRENT, -1);
        }
        if (name.equals(LOCK)) {
            return new Parsed(Kind.LOCK, -1);
        }
        if (name.endsWith(TEMP_SUFFIX)) {
            return new Parsed(Kind.TEMP, -1);
        }
        return null;
    }

    /** The number in at least six digits, zero-padded (cheaper than String.format on hot paths). */
    private static String padded(long number) {
        String digits = Long.toString(number);
        return digits.length() >= 6 ? digits : "000000".substring(digits.length()) + digits;
    }
}
