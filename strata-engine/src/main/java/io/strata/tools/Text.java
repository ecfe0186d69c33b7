package io.strata.tools;

import io.strata.key.InternalKey;
import io.strata.key.ValueType;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** Printable forms of keys, values, counts and errors for the tools' output. */
public final class Text {
    private Text() {}

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /**
     * {@code b} in double quotes: printable ASCII as it is, {@code \\} and {@code \"} escaped,
     * every other byte as {@code \xNN}. At most {@code max} bytes are shown; more are marked
     * with "...".
     */
    public static String escape(byte[] b, int max) {
        int n = Math.min(b.length, max);
        StringBuilder sb = new StringBuilder(n + 2).append('"');
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xff;
            if (c == '\\' || c == '"') {
                sb.append('\\').append((char) c);
            } else if (c >= 0x20 && c < 0x7f) {
                sb.append((char) c);
            } else {
                sb.append("\\x").append(HEX[c >>> 4]).append(HEX[c & 0xf]);
            }
        }
        sb.append('"');
        if (b.length > n) {
            sb.append("...");
        }
        return sb.toString();
    }

    public static String escape(byte[] b) {
        return escape(b, Integer.MAX_VALUE);
    }

    /** An internal key (a key as tables hold it) as {@code "user key" @sequence TYPE}. */
    public static String internalKey(byte[] ikey) {
        if (ikey.length < InternalKey.TRAILER_SIZE) {
            return "(malformed key " + escape(ikey) + ")";
        }
        return escape(InternalKey.userKey(ikey)) + " @" + InternalKey.sequence(ikey) + " "
                + type(InternalKey.type(ikey));
    }

    private static String type(int type) {
        return switch (type) {
            case ValueType.VALUE -> "PUT";
            case ValueType.DELETION -> "DEL";
            default -> "type" + type;
        };
    }

    /** "1 table", "2 tables". */
    public static String count(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }

    /** A one-line description of an I/O or store error. */
    public static String describe(Throwable e) {
        if (e instanceof UncheckedIOException u) {
            e = u.getCause();
        }
        if (e instanceof NoSuchFileException f) {
            return "no such file or directory: " + f.getFile();
        }
        if (e instanceof AccessDeniedException f) {
            return "permission denied: " + f.getFile();
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getFile() + ": " + f.getReason();
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
