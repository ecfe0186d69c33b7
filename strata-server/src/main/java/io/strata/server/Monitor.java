package io.strata.server;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;

/**
 * MONITOR's feed: every command another connection runs, as Redis writes it
 * ({@code 1700000000.123456 [0 127.0.0.1:5555] "set" "k" "v"}), sent to each MONITOR connection
 * through its {@link ClientPushes}, which bounds it as it bounds a subscriber. As in Redis,
 * administrative commands are not shown, a command refused before it ran (unknown, wrong
 * arity, denied by ACL) is not shown, a transaction's commands are shown when EXEC runs them,
 * and the passwords of AUTH and HELLO ... AUTH are shown as {@code (redacted)}.
 */
final class Monitor {
    private Monitor() {}

    private static final String REDACTED = "(redacted)";

    /**
     * Called on the thread running the commands of {@code from}, once the command has run, or,
     * for a script command (flagged skip_monitor), before it runs, as Redis shows EVAL before the
     * commands its script calls.
     */
    static void feed(StrataServer server, Client from, CommandSpec spec, byte[][] argv) {
        if (!server.monitors().isEmpty()) { // the address is a new string: not for every command
            feed(server, from, from.addr(), spec, argv);
        }
    }

    /** A command a script of {@code from} called, shown from {@code lua} as Redis shows it. */
    static void feedFromScript(StrataServer server, Client from, CommandSpec spec, byte[][] argv) {
        feed(server, from, "lua", spec, argv);
    }

    private static void feed(StrataServer server, Client from, String addr, CommandSpec spec, byte[][] argv) {
        if (server.monitors().isEmpty() || spec.target(argv).flags().contains("admin")) {
            return;
        }
        Instant now = Instant.now();
        String line = line(now.getEpochSecond() * 1_000_000 + now.getNano() / 1000, addr, argv);
        for (Client m : server.monitors()) {
            if (m != from) {
                m.pushes.monitorLine(line);
            }
        }
    }

    /** One line, without the leading {@code +}. */
    static String line(long epochMicros, String addr, byte[][] argv) {
        StringBuilder sb = new StringBuilder();
        sb.append(epochMicros / 1_000_000)
                .append('.')
                .append(String.format(Locale.ROOT, "%06d", epochMicros % 1_000_000))
                .append(" [0 ")
                .append(addr)
                .append(']');
        boolean[] redact = redacted(argv);
        for (int i = 0; i < argv.length; i++) {
            sb.append(' ');
            if (redact[i]) {
                sb.append("\"" + REDACTED + "\"");
            } else {
                quote(sb, argv[i]);
            }
        }
        return sb.toString();
    }

    /** Which arguments are secrets: AUTH's, and the user and password after HELLO's AUTH. */
    private static boolean[] redacted(byte[][] argv) {
        boolean[] r = new boolean[argv.length];
        String name = text(argv[0]);
        if (name.equalsIgnoreCase("auth")) {
            Arrays.fill(r, 1, r.length, true);
        } else if (name.equalsIgnoreCase("hello")) {
            for (int i = 2; i + 2 < argv.length; i++) {
                if (text(argv[i]).equalsIgnoreCase("auth")) {
                    r[i + 1] = true;
                    r[i + 2] = true;
                    i += 2;
                }
            }
        }
        return r;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Redis's sdscatrepr: in double quotes, with C escapes and {@code \xHH} for other unprintable bytes. */
    static void quote(StringBuilder sb, byte[] s) {
        sb.append('"');
        for (byte b : s) {
            int c = b & 0xff;
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 7 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        sb.append((char) c);
                    } else {
                        sb.append(String.format(Locale.ROOT, "\\x%02x", c));
                    }
                }
            }
        }
        sb.append('"');
    }
}
