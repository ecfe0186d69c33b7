package io.strata.server;

import static io.strata.server.CommandHarness.NIL;
import static io.strata.server.CommandHarness.START;
import static io.strata.server.CommandHarness.error;
import static io.strata.server.CommandHarness.integer;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.server.store.ValueCodec;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** SETBIT, GETBIT, BITCOUNT, BITPOS and BITOP: the cases of Redis's tests/unit/bitops.tcl, and a reference check. */
class BitCommandsTest extends WithCommandHarness {
    static final String SYNTAX = error("ERR syntax error");
    static final String BAD_OFFSET = error("ERR bit offset is not an integer or out of range");
    static final String BAD_BIT = error("ERR bit is not an integer or out of range");

    static byte[] b(String... parts) {
        return b(String.join("", parts));
    }

    void set(String key, String latin1) {
        assertThat(h.runBytes(b("SET"), b(key), b(latin1))).isEqualTo(CommandHarness.OK);
    }

    /** The value of key as characters 0-255, or null. */
    String get(String key) {
        String reply = h.run("GET", key);
        return reply.equals(NIL) ? null : new String(CommandHarness.bulkBytes(reply), StandardCharsets.ISO_8859_1);
    }

    @Test
    void setbitAndGetbit() {
        assertThat(h.run("GETBIT", "k", "0")).isEqualTo(integer(0));
        assertThat(h.run("SETBIT", "k", "1", "1")).isEqualTo(integer(0));
        assertThat(get("k")).isEqualTo("@");
        set("k", "@");
        assertThat(h.run("SETBIT", "k", "2", "1")).isEqualTo(integer(0));
        assertThat(get("k")).isEqualTo("`");
        assertThat(h.run("SETBIT", "k", "1", "0")).isEqualTo(integer(1));
        assertThat(get("k")).isEqualTo(" ");
        set("k", "`");
        int[] expected = {0, 1, 1, 0, 0, 0, 0, 0};
        for (int i = 0; i < 8; i++) {
            assertThat(h.run("GETBIT", "k", Integer.toString(i))).isEqualTo(integer(expected[i]));
        }
        assertThat(h.run("GETBIT", "k", "8")).isEqualTo(integer(0));
        assertThat(h.run("GETBIT", "k", "10000")).isEqualTo(integer(0));
        assertThat(h.run("SETBIT", "z", "17", "1")).isEqualTo(integer(0)); // grows, zero-filled
        assertThat(get("z")).isEqualTo("\u0000\u0000@");
        assertThat(h.run("SETBIT", "z", "0", "0")).isEqualTo(integer(0)); // no change, no growth: no write
        assertThat(get("z")).isEqualTo("\u0000\u0000@");
    }

    @Test
    void setbitErrorsAndLimits() {
        assertThat(h.run("SETBIT", "k", "-1", "1")).isEqualTo(BAD_OFFSET);
        assertThat(h.run("SETBIT", "k", "4294967296", "1")).isEqualTo(BAD_OFFSET); // Redis's limit, 2^32
        assertThat(h.run("SETBIT", "k", "x", "1")).isEqualTo(BAD_OFFSET);
        long past = (long) ValueCodec.MAX_PAYLOAD * 8; // the first bit of a byte Strata cannot store
        assertThat(h.run("SETBIT", "k", Long.toString(past), "1")).isEqualTo(BAD_OFFSET);
        assertThat(h.run("GETBIT", "k", Long.toString(past))).isEqualTo(BAD_OFFSET);
        for (String bad : new String[] {"-1", "2", "10", "20", "x"}) {
            assertThat(h.run("SETBIT", "k", "0", bad)).as(bad).isEqualTo(BAD_BIT);
        }
        assertThat(h.stored("k")).isNull(); // nothing written, nothing allocated
        assertThat(h.run("SETBIT", "k", Long.toString(past - 1), "1")).isEqualTo(integer(0)); // the last bit
        assertThat(h.run("STRLEN", "k")).isEqualTo(integer(ValueCodec.MAX_PAYLOAD));
        assertThat(h.run("GETBIT", "k", Long.toString(past - 1))).isEqualTo(integer(1));
    }

    @Test
    void setbitKeepsTheTtl() {
        h.run("SET", "k", "a", "PX", "5000");
        assertThat(h.run("SETBIT", "k", "100", "1")).isEqualTo(integer(0));
        assertThat(h.run("PEXPIRETIME", "k")).isEqualTo(integer(START + 5000));
    }

    @Test
    void bitcount() {
        assertThat(h.run("BITCOUNT", "nope")).isEqualTo(integer(0));
        assertThat(h.run("BITCOUNT", "nope", "x")).isEqualTo(integer(0)); // a missing key: no argument is read
        set("e", "");
        assertThat(h.run("BITCOUNT", "e")).isEqualTo(integer(0));
        set("s", "\u00aa");
        assertThat(h.run("BITCOUNT", "s")).isEqualTo(integer(4));
        set("s", "\u0000\u0000\u00ff");
        assertThat(h.run("BITCOUNT", "s")).isEqualTo(integer(8));
        set("s", "foobar");
        assertThat(h.run("BITCOUNT", "s")).isEqualTo(integer(26));
        assertThat(h.run("BITCOUNT", "s", "0", "0")).isEqualTo(integer(4));
        assertThat(h.run("BITCOUNT", "s", "1", "1")).isEqualTo(integer(6));
        assertThat(h.run("BITCOUNT", "s", "1", "1", "BYTE")).isEqualTo(integer(6));
        assertThat(h.run("BITCOUNT", "s", "5", "30", "BIT")).isEqualTo(integer(17));
        assertThat(h.run("BITCOUNT", "s", "0", "-1")).isEqualTo(integer(26));
        assertThat(h.run("BITCOUNT", "s", "-2", "-1")).isEqualTo(integer(7)); // "ar"
        set("x", "xxxx");
        assertThat(h.run("BITCOUNT", "x", "4", "10")).isEqualTo(integer(0));
        assertThat(h.run("BITCOUNT", "x", "32", "87", "bit")).isEqualTo(integer(0));
        assertThat(h.run("BITCOUNT", "x", "-7", "-6")).isEqualTo(integer(4)); // both clamp to byte 0
        assertThat(h.run("BITCOUNT", "x", "-6", "-7")).isEqualTo(integer(0));
        assertThat(h.run("BITCOUNT", "x", "-6", "-15", "BIT")).isEqualTo(integer(0));
        assertThat(h.run("BITCOUNT", "x", "-6", "-7", "nonsense")).isEqualTo(integer(0)); // Redis answers first
        assertThat(h.run("BITCOUNT", "x", "0", "4294967296")).isEqualTo(integer(16));
        assertThat(h.run("BITCOUNT", "x", "0")).isEqualTo(SYNTAX);
        assertThat(h.run("BITCOUNT", "x", "0", "1", "hello")).isEqualTo(SYNTAX);
        assertThat(h.run("BITCOUNT", "x", "0", "1", "BIT", "x")).isEqualTo(SYNTAX);
        assertThat(h.run("BITCOUNT", "x", "a", "1")).isEqualTo(error("ERR value is not an integer or out of range"));
    }

    @Test
    void bitpos() {
        assertThat(h.run("BITPOS", "nope", "0")).isEqualTo(integer(0));
        assertThat(h.run("BITPOS", "nope", "1")).isEqualTo(integer(-1));
        assertThat(h.run("BITPOS", "nope", "2")).isEqualTo(error("ERR The bit argument must be 1 or 0."));
        set("s", "\u00ff\u00f0\u0000");
        assertThat(h.run("BITPOS", "s", "0")).isEqualTo(integer(12));
        assertThat(h.run("BITPOS", "s", "0", "1")).isEqualTo(integer(12));
        set("s", "\u0000\u000f\u0000");
        assertThat(h.run("BITPOS", "s", "1")).isEqualTo(integer(12));
        set("s", "\u0000\u00ff\u00f0");
        assertThat(h.run("BITPOS", "s", "1", "0")).isEqualTo(integer(8));
        assertThat(h.run("BITPOS", "s", "1", "2")).isEqualTo(integer(16));
        assertThat(h.run("BITPOS", "s", "1", "2", "-1", "BYTE")).isEqualTo(integer(16));
        assertThat(h.run("BITPOS", "s", "1", "7", "15", "BIT")).isEqualTo(integer(8));
        set("s", "\u0000\u0000\u0000");
        assertThat(h.run("BITPOS", "s", "1")).isEqualTo(integer(-1));
        assertThat(h.run("BITPOS", "s", "1", "7", "-3", "BIT")).isEqualTo(integer(-1));

        set("s", "\u0000\u00ff\u0000");
        String[][] zeros = {{"0", "-1", "0"}, {"1", "-1", "16"}, {"2", "-1", "16"}, {"2", "200", "16"}, {"1", "1", "-1"}
        };
        String[][] zeroBits = {
            {"0", "-1", "0"}, {"8", "-1", "16"}, {"16", "-1", "16"}, {"16", "200", "16"}, {"8", "8", "-1"}
        };
        String[][] ones = {{"0", "-1", "8"}, {"1", "-1", "8"}, {"2", "-1", "-1"}, {"2", "200", "-1"}, {"1", "1", "8"}};
        String[][] oneBits = {
            {"0", "-1", "8"}, {"8", "-1", "8"}, {"16", "-1", "-1"}, {"16", "200", "-1"}, {"8", "8", "8"}
        };
        for (int i = 0; i < zeros.length; i++) {
            assertThat(h.run("BITPOS", "s", "0", zeros[i][0], zeros[i][1]))
                    .isEqualTo(integer(Long.parseLong(zeros[i][2])));
            assertThat(h.run("BITPOS", "s", "0", zeroBits[i][0], zeroBits[i][1], "bit"))
                    .isEqualTo(integer(Long.parseLong(zeroBits[i][2])));
            assertThat(h.run("BITPOS", "s", "1", ones[i][0], ones[i][1]))
                    .isEqualTo(integer(Long.parseLong(ones[i][2])));
            assertThat(h.run("BITPOS", "s", "1", oneBits[i][0], oneBits[i][1], "BIT"))
                    .isEqualTo(integer(Long.parseLong(oneBits[i][2])));
        }

        // Looking for a 0 in all ones: past the string without an end, -1 with one.
        set("s", "\u00ff\u00ff\u00ff");
        assertThat(h.run("BITPOS", "s", "0")).isEqualTo(integer(24));
        assertThat(h.run("BITPOS", "s", "0", "0")).isEqualTo(integer(24));
        assertThat(h.run("BITPOS", "s", "0", "0", "-1")).isEqualTo(integer(-1));
        assertThat(h.run("BITPOS", "s", "0", "0", "-1", "bit")).isEqualTo(integer(-1));
        set("e", "");
        assertThat(h.run("BITPOS", "e", "0")).isEqualTo(integer(-1)); // an empty range holds neither bit
        assertThat(h.run("BITPOS", "s", "0", "0", "1", "BIT", "x")).isEqualTo(SYNTAX);
        assertThat(h.run("BITPOS", "s", "0", "0", "1", "bits")).isEqualTo(SYNTAX);
    }

    @Test
    void bitop() {
        set("s", "");
        assertThat(h.run("BITOP", "NOT", "dest", "s")).isEqualTo(integer(0));
        assertThat(h.stored("dest")).isNull();
        set("s", "\u00aa\u0000\u00ffU");
        assertThat(h.run("BITOP", "not", "dest", "s")).isEqualTo(integer(4));
        assertThat(get("dest")).isEqualTo("U\u00ff\u0000\u00aa");
        assertThat(h.run("BITOP", "NOT", "s", "s")).isEqualTo(integer(4)); // destination = source
        assertThat(get("s")).isEqualTo("U\u00ff\u0000\u00aa");
        set("a", "\u0001\u0002\u00ff");
        for (String op : new String[] {"AND", "OR", "XOR"}) {
            assertThat(h.run("BITOP", op, "res", "a")).isEqualTo(integer(3));
            assertThat(get("res")).as(op).isEqualTo("\u0001\u0002\u00ff");
        }
        assertThat(h.run("BITOP", "AND", "res", "no-such-key", "a")).isEqualTo(integer(3));
        assertThat(get("res")).isEqualTo("\u0000\u0000\u0000");
        assertThat(h.run("BITOP", "OR", "res", "no-such-key", "a")).isEqualTo(integer(3));
        assertThat(get("res")).isEqualTo("\u0001\u0002\u00ff");
        set("a", "\u0001\u0002\u00ff\u00ff");
        set("b", "\u0001\u0002\u00ff");
        h.run("BITOP", "AND", "res", "a", "b");
        assertThat(get("res")).isEqualTo("\u0001\u0002\u00ff\u0000");
        h.run("BITOP", "OR", "res", "a", "b");
        assertThat(get("res")).isEqualTo("\u0001\u0002\u00ff\u00ff");
        h.run("BITOP", "XOR", "res", "a", "b");
        assertThat(get("res")).isEqualTo("\u0000\u0000\u0000\u00ff");
        set("z", "\u0000".repeat(32));
        assertThat(h.run("BITOP", "OR", "x", "z", "missing")).isEqualTo(integer(32));

        h.run("SET", "res", "v", "EX", "100");
        h.run("BITOP", "OR", "res", "a");
        assertThat(h.run("TTL", "res")).isEqualTo(integer(-1)); // the result replaces the key, TTL and all
        assertThat(h.run("BITOP", "AND", "res", "none1", "none2")).isEqualTo(integer(0));
        assertThat(h.stored("res")).isNull(); // every source empty: the destination is deleted
        assertThat(h.run("BITOP", "NOT", "res", "a", "b"))
                .isEqualTo(error("ERR BITOP NOT must be called with a single source key."));
        assertThat(h.run("BITOP", "NAND", "res", "a")).isEqualTo(SYNTAX);
        assertThat(h.run("BITOP", "AND", "res")).isEqualTo(error("ERR wrong number of arguments for 'bitop' command"));
    }

    /** BITCOUNT, BITPOS and BITOP on random strings and ranges against a bit-by-bit reference. */
    @Test
    void randomAgainstAReference() {
        long seed = 20240612L;
        System.out.println("BitCommandsTest.randomAgainstAReference seed " + seed);
        Random random = new Random(seed);
        for (int round = 0; round < 300; round++) {
            byte[] a = new byte[random.nextInt(40)];
            byte[] c = new byte[random.nextInt(40)];
            for (byte[] s : new byte[][] {a, c}) {
                for (int i = 0; i < s.length; i++) {
                    int pick = random.nextInt(4); // runs of 0x00 and 0xff, as bitmaps have
                    s[i] = (byte) (pick == 0 ? 0 : pick == 1 ? 0xff : random.nextInt(256));
                }
            }
            h.runBytes(b("SET"), b("a"), a);
            h.runBytes(b("SET"), b("c"), c);
            boolean bitUnit = random.nextBoolean();
            long total = bitUnit ? a.length * 8L : a.length;
            long start = random.nextInt((int) total + 5) - total - 2;
            long end = random.nextInt((int) total + 5) - total - 2;
            if (random.nextBoolean()) {
                start = Math.abs(start);
            }
            if (random.nextBoolean()) {
                end = Math.abs(end);
            }
            String unit = bitUnit ? "BIT" : "BYTE";
            String what = "round " + round + ": " + start + " " + end + " " + unit;
            assertThat(h.run("BITCOUNT", "a", Long.toString(start), Long.toString(end), unit))
                    .as(what)
                    .isEqualTo(integer(Reference.count(a, start, end, bitUnit)));
            int bit = random.nextInt(2);
            assertThat(h.run("BITPOS", "a", Integer.toString(bit), Long.toString(start), Long.toString(end), unit))
                    .as(what)
                    .isEqualTo(integer(Reference.pos(a, bit, start, end, bitUnit, true)));
            assertThat(h.run("BITPOS", "a", Integer.toString(bit), Long.toString(start)))
                    .as(what)
                    .isEqualTo(integer(Reference.pos(a, bit, start, -1, false, false)));
            String op = new String[] {"AND", "OR", "XOR", "NOT"}[random.nextInt(4)];
            String reply = op.equals("NOT") ? h.run("BITOP", op, "r", "a") : h.run("BITOP", op, "r", "a", "c");
            byte[] expected = Reference.bitop(op, a, c);
            assertThat(reply).as(what + " " + op).isEqualTo(integer(expected.length));
            assertThat(get("r"))
                    .as(what + " " + op)
                    .isEqualTo(expected.length == 0 ? null : new String(expected, StandardCharsets.ISO_8859_1));
        }
    }

    /** Redis's documented semantics, one bit at a time. */
    static final class Reference {
        static int bit(byte[] s, long i) {
            return i < s.length * 8L ? (s[(int) (i / 8)] >> (7 - (int) (i % 8))) & 1 : 0;
        }

        /** [first, last] in bits, or null: negative indexes from the end, clamped. */
        static long[] range(byte[] s, long start, long end, boolean bitUnit) {
            long total = bitUnit ? s.length * 8L : s.length;
            long from = start < 0 ? Math.max(0, total + start) : start;
            long to = Math.min(end < 0 ? Math.max(0, total + end) : end, total - 1);
            if (from > to) {
                return null;
            }
            return bitUnit ? new long[] {from, to} : new long[] {from * 8, to * 8 + 7};
        }

        static long count(byte[] s, long start, long end, boolean bitUnit) {
            long[] r = start < 0 && end < 0 && start > end ? null : range(s, start, end, bitUnit);
            long n = 0;
            for (long i = r == null ? 0 : r[0]; r != null && i <= r[1]; i++) {
                n += bit(s, i);
            }
            return n;
        }

        static long pos(byte[] s, int bit, long start, long end, boolean bitUnit, boolean endGiven) {
            long[] r = range(s, start, end, bitUnit);
            if (r == null) {
                return -1;
            }
            for (long i = r[0]; i <= r[1]; i++) {
                if (bit(s, i) == bit) {
                    return i;
                }
            }
            return bit == 0 && !endGiven ? r[1] + 1 : -1;
        }

        static byte[] bitop(String op, byte[] a, byte[] c) {
            int n = op.equals("NOT") ? a.length : Math.max(a.length, c.length);
            byte[] out = new byte[n];
            for (int i = 0; i < n; i++) {
                int x = i < a.length ? a[i] & 0xff : 0;
                int y = i < c.length ? c[i] & 0xff : 0;
                out[i] = (byte)
                        switch (op) {
                            case "AND" -> x & y;
                            case "OR" -> x | y;
                            case "XOR" -> x ^ y;
                            default -> ~x;
                        };
            }
            return out;
        }
    }
}
