package io.strata.server;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SLOWLOG: the commands that took at least slowlog-log-slower-than microseconds (negative: none,
 * 0: every command), the newest first, at most slowlog-max-len of them, each as Redis keeps it:
 * an id, when it ran, how long, its arguments (at most {@link #MAX_ARGS}, each at most
 * {@link #MAX_ARG_BYTES} bytes, with Redis's notes of what was cut) and its client's address and
 * name.
 *
 * <p>The settings are volatile (CONFIG SET writes, every command thread reads); the entries are
 * guarded by this object's monitor, which only a slow command, SLOWLOG and CONFIG SET take.
 */
final class SlowLog {
    static final int MAX_ARGS = 32;
    static final int MAX_ARG_BYTES = 128;

    /** One logged command. */
    record Entry(long id, long unixSeconds, long micros, List<byte[]> argv, String addr, String name) {}

    private volatile long slowerThanMicros = 10_000;
    private volatile int maxLen = 128;

    @GuardedBy("this")
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();

    @GuardedBy("this")
    private long nextId;

    long slowerThanMicros() {
        return slowerThanMicros;
    }

    void slowerThanMicros(long micros) {
        slowerThanMicros = micros;
    }

    int maxLen() {
        return maxLen;
    }

    synchronized void maxLen(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("argument must be between 0 and " + Integer.MAX_VALUE);
        }
        maxLen = n;
        trim();
    }

    /** Logs a command that ran for this long if it is slow enough and may be logged (not skip_slowlog). */
    void ran(CommandSpec spec, byte[][] argv, long nanos, Client client) {
        long threshold = slowerThanMicros;
        long micros = nanos / 1000;
        if (threshold < 0 || micros < threshold || spec.flags().contains("skip_slowlog")) {
            return;
        }
        add(micros, argv, client);
    }

    private synchronized void add(long micros, byte[][] argv, Client client) {
        if (maxLen == 0) {
            return;
        }
        String name = client.name;
        entries.addFirst(new Entry(
                nextId++,
                System.currentTimeMillis() / 1000,
                micros,
                trimmed(argv),
                client.addr(),
                name == null ? "" : name));
        trim();
    }

    @GuardedBy("this")
    private void trim() {
        while (entries.size() > maxLen) {
            entries.removeLast();
        }
    }

    /** Redis's trimmed arguments: past 32, the 32nd says how many more; past 128 bytes, how many more bytes. */
    static List<byte[]> trimmed(byte[][] argv) {
        int shown = argv.length > MAX_ARGS ? MAX_ARGS - 1 : argv.length;
        List<byte[]> out = new ArrayList<>(Math.min(argv.length, MAX_ARGS));
        for (int i = 0; i < shown; i++) {
            byte[] a = argv[i];
            if (a.length > MAX_ARG_BYTES) {
                String more = "... (" + (a.length - MAX_ARG_BYTES) + " more bytes)";
                byte[] cut = Arrays.copyOf(a, MAX_ARG_BYTES + more.length());
                System.arraycopy(more.getBytes(StandardCharsets.US_ASCII), 0, cut, MAX_ARG_BYTES, more.length());
                a = cut;
            }
            out.add(a);
        }
        if (shown < argv.length) {
            out.add(("... (" + (argv.length - shown) + " more arguments)").getBytes(StandardCharsets.US_ASCII));
        }
        return out;
    }

    /** The newest {@code count} entries (all of them for a negative count), the newest first. */
    synchronized List<Entry> newest(long count) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (count >= 0 && out.size() >= count) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    synchronized int size() {
        return entries.size();
    }

    synchronized void reset() {
        entries.clear();
    }
}
