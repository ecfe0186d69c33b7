package io.strata.server;

import static io.strata.server.CommandHarness.bulk;
import static io.strata.server.CommandHarness.integer;
import static io.strata.server.ScriptCmsgpackTest.HEX;
import static io.strata.server.ScriptingTest.failed;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The {@code struct} library of scripts, as Redis 7.2's (deps/lua/src/lua_struct.c, which
 * Redis's tests do not cover): the expected bytes follow that code's rules for Redis as built
 * for x86-64 Linux (little-endian; int 4 bytes, long and size_t 8; alignment up to 8), and every
 * reply here was also checked against redis-server 7.0.15 (whose lua_struct.c is 7.2.6's).
 */
class ScriptStructTest extends WithCommandHarness {
    private String eval(String body) {
        return h.run("EVAL", body, "0");
    }

    private String packed(String args) {
        return eval(HEX + "return hex(struct.pack(" + args + "))");
    }

    @Test
    void packWritesEachFormatLetter() {
        String[][] cases = {
            {"'b', -1", "ff"},
            {"'B', 255", "ff"},
            {"'B', 256", "00"},
            {"'b', 1.9", "01"},
            {"'<h', 1", "0100"},
            {"'>h', 1", "0001"},
            {"'h', -2", "feff"},
            {"'>H', 65535", "ffff"},
            {"'l', -2", "feffffffffffffff"},
            {"'>L', 1", "0000000000000001"},
            {"'T', 258", "0201000000000000"},
            {"'i', -1", "ffffffff"},
            {"'>I', 1", "00000001"},
            {"'i3', 65536", "000001"},
            {"'>i1', 255", "ff"},
            {"'I9', -1", "ffffffffffffffff00"},
            {"'>i10', 1", "00000000000000000001"},
            {"'i0', 5", ""},
            {"'>L', 2^64 - 2048", "fffffffffffff800"},
            {"'>L', 2^64", "0000000000000000"},
            {"'>l', -2^63", "8000000000000000"},
            {"'>l', -1e300", "8000000000000000"},
            {"'>L', 0/0", "8000000000000000"},
            {"'x'", "00"},
            {"'xxb', 1", "000001"},
            {"'f', 1.5", "0000c03f"},
            {"'>f', -2", "c0000000"},
            {"'>f', 0.1", "3dcccccd"},
            {"'d', 1.5", "000000000000f83f"},
            {"'>d', 0.1", "3fb999999999999a"},
            {"'c3', 'abcdef'", "616263"},
            {"'c', 'xy'", "78"},
            {"'c0', 'abc'", "616263"},
            {"'s', 'ab'", "616200"},
            {"'s', 'a\\0b'", "61006200"},
            {"'c2', 12", "3132"},
            {"' < h > h ', 1, 1", "01000001"},
            {"'b', '10'", "0a"},
            {"'>bh\\0h', 1, 2, 3", "010002"},
        };
        for (String[] c : cases) {
            assertThat(packed(c[0])).as(c[0]).isEqualTo(bulk(c[1]));
        }
    }

    @Test
    void alignmentPadsToTheItemsSizeUpToTheLimit() {
        String[][] cases = {
            {"'bi', 1, 2", "0102000000"}, {"'!4bi', 1, 2", "0100000002000000"},
            {"'!bd', 1, 0", "01" + "00".repeat(7) + "00".repeat(8)}, {"'!2bi', 1, 2", "010002000000"},
            {"'!4bh', 1, 2", "01000200"}, {"'!8bl', 1, 2", "01" + "00".repeat(7) + "0200000000000000"},
            {"'!4 b c3 i', 1, 'xyz', 2", "0178797a02000000"}, {"'!4bs', 1, 'q'", "017100"},
            {"'!8b i3', 1, 2", "010000020000"},
        };
        for (String[] c : cases) {
            assertThat(packed(c[0])).as(c[0]).isEqualTo(bulk(c[1]));
        }
    }

    @Test
    void unpackReadsEachFormatLetterAndReturnsTheNextPosition() {
        String[][] cases = {
            {"'b', '\\255'", "-1 2"},
            {"'B', '\\255'", "255 2"},
            {"'<h', '\\001\\128'", "-32767 3"},
            {"'>H', '\\001\\128'", "384 3"},
            {"'i', '\\255\\255\\255\\255'", "-1 5"},
            {"'I', '\\255\\255\\255\\255'", "4294967295 5"},
            {"'>i3', '\\255\\255\\254'", "-2 4"},
            {"'l', string.rep('\\255', 8)", "-1 9"},
            {"'L', string.rep('\\255', 8)", "1.844674407371e+19 9"},
            {"'T', '\\002\\001' .. string.rep('\\000', 6)", "258 9"},
            {"'>I9', '\\001' .. string.rep('\\000', 7) .. '\\002'", "2 10"},
            {"'f', '\\000\\000\\192\\063'", "1.5 5"},
            {"'>d', '\\063\\248' .. string.rep('\\000', 6)", "1.5 9"},
            {"'c2', 'abc'", "ab 3"},
            {"'bc0', '\\003abcd'", "abc 5"},
            {"'c1c0', '3abcd'", "abc 5"},
            {"'s', 'ab\\0cd'", "ab 4"},
            {"'xb', '\\001\\002'", "2 3"},
            {"'!4bi', '\\001\\000\\000\\000\\002\\000\\000\\000'", "1 2 9"},
            {"'b', 'abc', 2", "98 3"},
            {"'', 'abc', 3", "3"},
            {"'b b', 'ab'", "97 98 3"},
        };
        for (String[] c : cases) {
            String body = "local t = {struct.unpack(" + c[0] + ")} for i = 1, #t do t[i] = tostring(t[i]) end"
                    + " return table.concat(t, ' ')";
            assertThat(eval(body)).as(c[0]).isEqualTo(bulk(c[1]));
        }
        assertThat(eval("local a, b, c, d, e = struct.unpack('<hBs>d', struct.pack('<hBs>d', -3, 7, 'str', 0.25))"
                        + " return {a, b, c, tostring(d), e}"))
                .as("a round trip")
                .isEqualTo("*5\r\n:-3\r\n:7\r\n$3\r\nstr\r\n$4\r\n0.25\r\n:16\r\n");
    }

    @Test
    void sizeCountsTheBytesOfAFormat() {
        String[][] cases = {
            {"''", "0"},
            {"'bhlTifdx'", "36"},
            {"'!bhlTifdx'", "41"},
            {"'i7c5'", "12"},
            {"'<>  b'", "1"},
            {"'!4bd'", "12"},
            {"'bzb'", "2"},
            {"'b5'", "1"},
        };
        for (String[] c : cases) {
            assertThat(eval("return struct.size(" + c[0] + ")")).as(c[0]).isEqualTo(integer(Long.parseLong(c[1])));
        }
    }

    @Test
    void mistakesFailWithRedissErrors() {
        String[][] cases = {
            {"struct.pack('z')", "bad argument #1 to 'pack' (invalid format option 'z')"},
            {"struct.pack('b#', 1)", "bad argument #1 to 'pack' (invalid format option '#')"},
            {"struct.unpack('q', 'a')", "bad argument #1 to 'unpack' (invalid format option 'q')"},
            {"struct.size('?')", "bad argument #1 to 'size' (invalid format option '?')"},
            {"struct.pack('i33', 1)", "integral size 33 is larger than limit of 32"},
            {"struct.size('c99999999999')", "integral size overflow"},
            {"struct.pack('!3b', 1)", "alignment 3 is not a power of 2"},
            {"struct.pack('!0b', 1)", "alignment 0 is not a power of 2"},
            {"struct.pack()", "bad argument #1 to 'pack' (string expected, got no value)"},
            {"struct.pack('b')", "bad argument #2 to 'pack' (number expected, got nil)"},
            {"struct.pack('bb', 1)", "bad argument #3 to 'pack' (number expected, got nil)"},
            {"struct.pack('c')", "bad argument #2 to 'pack' (string expected, got nil)"},
            {"struct.pack('bb', 1, 'x')", "bad argument #3 to 'pack' (number expected, got string)"},
            {"struct.pack('c', {})", "bad argument #2 to 'pack' (string expected, got table)"},
            {"struct.pack('c5', 'ab')", "bad argument #3 to 'pack' (string too short)"},
            {"struct.unpack('i', 'abc')", "bad argument #2 to 'unpack' (data string too short)"},
            {"struct.unpack('b', 'abc', 4)", "bad argument #2 to 'unpack' (data string too short)"},
            {"struct.unpack('b', 'abc', -1)", "bad argument #2 to 'unpack' (data string too short)"},
            {"struct.unpack('b', 'abc', 0)", "bad argument #3 to 'unpack' (offset must be 1 or greater)"},
            {"struct.unpack('b', 'abc', 'x')", "bad argument #3 to 'unpack' (number expected, got string)"},
            {"struct.unpack('b')", "bad argument #2 to 'unpack' (string expected, got no value)"},
            {"struct.unpack('c0', 'abc')", "format 'c0' needs a previous size"},
            {"struct.unpack('sc0', 'x\\0abc')", "format 'c0' needs a previous size"},
            {"struct.unpack('bc0', '\\009abc')", "bad argument #2 to 'unpack' (data string too short)"},
            {"struct.unpack('s', 'ab')", "unfinished string in data"},
            {"struct.size('bs')", "bad argument #1 to 'size' (option 's' has no fixed size)"},
            {"struct.size('c0')", "bad argument #1 to 'size' (option 'c0' has no fixed size)"},
        };
        for (String[] c : cases) {
            String body = "return " + c[0];
            assertThat(eval(body)).as(c[0]).isEqualTo(failed("ERR user_script:1: " + c[1], body, 1));
        }
        assertThat(eval("struct.pack = nil"))
                .isEqualTo(failed("ERR user_script:1: Attempt to modify a readonly table", "struct.pack = nil", 1));
    }

    @Test
    void unpackingMoreResultsThanLuasStackHoldsIsRefusedAsInRedis() {
        // luaL_checkstack(L, 2) before each item: the arguments and results so far, plus two, within 8000.
        assertThat(eval("return select('#', struct.unpack(string.rep('b', 7997), string.rep('a', 7997)))"))
                .as("two arguments, 7997 values and the position")
                .isEqualTo(integer(7998));
        String over = "return struct.unpack(string.rep('b', 7998), string.rep('a', 7998))";
        assertThat(eval(over)).isEqualTo(failed("ERR user_script:1: stack overflow (too many results)", over, 1));
    }
}
