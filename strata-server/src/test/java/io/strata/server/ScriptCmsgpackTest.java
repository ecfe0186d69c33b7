package io.strata.server;

import static io.strata.server.CommandHarness.NIL;
import static io.strata.server.CommandHarness.bulk;
import static io.strata.server.CommandHarness.integer;
import static io.strata.server.ScriptingTest.failed;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The {@code cmsgpack} library of scripts, as Redis 7.2's (deps/lua/src/lua_cmsgpack.c). The
 * expected bytes are Redis's own where its tests give them (tests/unit/scripting.tcl at 7.2.6:
 * 0.1, -1099511627776 and a table holding itself), else those of lua_cmsgpack.c's rules, each
 * said beside it. Every reply here was also checked against redis-server 7.0.15, whose
 * lua_cmsgpack.c is 7.2.6's, except the function's name in an argument error under pcall, where
 * Redis says {@code '?'} (docs/SCRIPTING.md).
 */
class ScriptCmsgpackTest extends WithCommandHarness {
    /** Lua: hex(s, ...) writes each string as hex digits, the strings separated by spaces. */
    static final String HEX = "local function hex(...) local t = {} for i, s in ipairs({...}) do"
            + " t[i] = (s:gsub('.', function(c) return string.format('%02x', c:byte()) end)) end"
            + " return table.concat(t, ' ') end ";

    private String eval(String body) {
        return h.run("EVAL", body, "0");
    }

    private String packed(String values) {
        return eval(HEX + "return hex(cmsgpack.pack(" + values + "))");
    }

    @Test
    void packWritesWhatRedissTestsExpect() {
        assertThat(packed("0.1")).isEqualTo(bulk("cb3fb999999999999a"));
        assertThat(packed("-1099511627776")).isEqualTo(bulk("d3ffffff0000000000"));
        assertThat(eval(HEX + "local a = {x=nil,y=5} local b = {x=a} a['x'] = b return hex(cmsgpack.pack(a))"))
                .as("cut at 16 tables deep, keys in the order Redis's Lua has them")
                .isEqualTo(bulk("82a17905a17881a17882a17905a17881a17882a17905a17881a17882a17905a17881a178"
                        + "82a17905a17881a17882a17905a17881a17882a17905a17881a17882a17905a17881a178c0"));
    }

    @Test
    void numbersAreTheSmallestIntegerThatHoldsThemElseFloat32WhenExactElseFloat64() {
        // lua_cmsgpack.c's mp_encode_int and mp_encode_double: each type's bounds.
        String[][] cases = {
            {"0", "00"},
            {"127", "7f"},
            {"128", "cc80"},
            {"255", "ccff"},
            {"256", "cd0100"},
            {"65535", "cdffff"},
            {"65536", "ce00010000"},
            {"4294967295", "ceffffffff"},
            {"4294967296", "cf0000000100000000"},
            {"2^53", "cf0020000000000000"},
            {"-1", "ff"},
            {"-32", "e0"},
            {"-33", "d0df"},
            {"-128", "d080"},
            {"-129", "d1ff7f"},
            {"-32768", "d18000"},
            {"-32769", "d2ffff7fff"},
            {"-2147483648", "d280000000"},
            {"-2147483649", "d3ffffffff7fffffff"},
            {"-2^63", "d38000000000000000"},
            {"-0.0", "00"},
            {"1.5", "ca3fc00000"},
            {"-0.25", "cabe800000"},
            {"2^63", "ca5f000000"},
            {"2^64 + 2^20", "cb43f0000000000100"},
            {"1/0", "ca7f800000"},
            {"-1/0", "caff800000"},
            {"1e300", "cb7e37e43c8800759c"},
        };
        for (String[] c : cases) {
            assertThat(packed(c[0])).as(c[0]).isEqualTo(bulk(c[1]));
        }
    }

    @Test
    void stringsBooleansNilAndOtherValuesHaveTheirTypes() {
        String[][] cases = {
            {"''", "a0"},
            {"'abc'", "a3616263"},
            {"'a\\0b'", "a3610062"},
            {"string.rep('x', 31)", "bf" + "78".repeat(31)},
            {"string.rep('x', 32)", "d920" + "78".repeat(32)},
            {"true", "c3"},
            {"false", "c2"},
            {"nil", "c0"},
            {"function() end", "c0"},
            {"cjson.null", "c0"},
            {"1, 'a', true", "01a161c3"},
        };
        for (String[] c : cases) {
            assertThat(packed(c[0])).as(c[0]).isEqualTo(bulk(c[1]));
        }
        assertThat(eval("local s = cmsgpack.pack(string.rep('x', 256)) return {#s, s:byte(1), s:byte(2), s:byte(3)}"))
                .as("raw 16")
                .isEqualTo("*4\r\n:259\r\n:218\r\n:1\r\n:0\r\n");
        assertThat(eval("local s = cmsgpack.pack(string.rep('x', 65536))"
                        + " return {#s, s:byte(1), s:byte(2), s:byte(3), s:byte(4), s:byte(5)}"))
                .as("raw 32")
                .isEqualTo("*6\r\n:65541\r\n:219\r\n:0\r\n:1\r\n:0\r\n:0\r\n");
    }

    @Test
    void aTableIsAnArrayOnlyWhenItsKeysAreExactlyOneToN() {
        String[][] cases = {
            {"{}", "90"},
            {"{1, 2}", "920102"},
            {"{[1]='a', [2]='b'}", "92a161a162"},
            {"{a=1}", "81a16101"},
            {"{[2]=1}", "810201"},
            {"{[1.5]=1}", "81ca3fc0000001"},
            {"{[0]=1}", "810001"},
            {"{1, nil, 3}", "82010103 03".replace(" ", "")},
            {"{{}, {{}}}", "929091 90".replace(" ", "")},
            {"{true}", "91c3"},
        };
        for (String[] c : cases) {
            assertThat(packed(c[0])).as(c[0]).isEqualTo(bulk(c[1]));
        }
        assertThat(eval(HEX + "local t = {} for i = 1, 16 do t[i] = i end return hex(cmsgpack.pack(t))"))
                .as("array 16")
                .isEqualTo(bulk("dc0010" + "0102030405060708090a0b0c0d0e0f10"));
        assertThat(eval(HEX + "local t = {} for i = 1, 16 do t[i] = i end t[1] = nil t.x = 1"
                        + " return hex(cmsgpack.pack(t)):sub(1, 6)"))
                .as("map 16")
                .isEqualTo(bulk("de0010"));
        assertThat(eval("local t = {} for i = 1, 65536 do t[i] = 0 end local s = cmsgpack.pack(t)"
                        + " return {#s, s:byte(1), s:byte(2), s:byte(3), s:byte(4), s:byte(5)}"))
                .as("array 32")
                .isEqualTo("*6\r\n:65541\r\n:221\r\n:0\r\n:1\r\n:0\r\n:0\r\n");
    }

    @Test
    void tablesSixteenDeepAreNilAsKeysAndValues() {
        // LUACMSGPACK_MAX_NESTING: the top value is level 0, a table at level 16 is nil.
        assertThat(eval(HEX + "local t = {} for i = 1, 20 do t = {t} end return hex(cmsgpack.pack(t))"))
                .isEqualTo(bulk("91".repeat(16) + "c0"));
        assertThat(eval(HEX + "local t = {} for i = 1, 15 do t = {t} end return hex(cmsgpack.pack(t))"))
                .as("sixteen tables (levels 0 to 15): all there, the innermost empty one too")
                .isEqualTo(bulk("91".repeat(15) + "90"));
        assertThat(eval(HEX + "local t = {} for i = 1, 16 do t = {t} end return hex(cmsgpack.pack(t))"))
                .as("seventeen: the innermost is at level 16")
                .isEqualTo(bulk("91".repeat(16) + "c0"));
        assertThat(eval(HEX + "local t = {} for i = 1, 15 do t = {t} end return hex(cmsgpack.pack({[t] = 1}))"))
                .as("a key counts a level as a value does")
                .isEqualTo(bulk("81" + "91".repeat(15) + "c0" + "01"));
    }

    @Test
    void everyTypeRoundTrips() {
        assertThat(eval("local v = {0, 1, -1, 127, 128, -33, 255, 65535, 65536, -129, -32769, 2^32, -2^31 - 1,"
                        + " 2^53, -2^53, 0.5, 0.1, 1e300, -1/0, 'x', string.rep('y', 300), true, false}"
                        + " local ok = 0 for i, x in ipairs(v) do"
                        + " assert(cmsgpack.unpack(cmsgpack.pack(x)) == x, tostring(x)) ok = ok + 1 end return ok"))
                .isEqualTo(integer(23));
        assertThat(eval("local t = cmsgpack.unpack(cmsgpack.pack({a={1, 2, {b='c'}}, [5]=false, [1.5]=2}))"
                        + " return {t.a[1], t.a[2], t.a[3].b, tostring(t[5]), t[1.5]}"))
                .isEqualTo("*5\r\n:1\r\n:2\r\n$1\r\nc\r\n$5\r\nfalse\r\n:2\r\n");
        assertThat(eval("local a, b, c, d = cmsgpack.unpack(cmsgpack.pack(1, 'two', nil, {3}))"
                        + " return {a, b, tostring(c), d[1], select('#', cmsgpack.unpack(cmsgpack.pack(1, 2, 3)))}"))
                .as("several values, several results")
                .isEqualTo("*5\r\n:1\r\n$3\r\ntwo\r\n$3\r\nnil\r\n:3\r\n:3\r\n");
        assertThat(eval("local n = cmsgpack.unpack(cmsgpack.pack(0/0)) return tostring(n ~= n)"))
                .isEqualTo(bulk("true"));
        assertThat(eval("return select('#', cmsgpack.unpack(''))")).isEqualTo(integer(0));
    }

    @Test
    void unpackReadsWhatMessagePackEncodersWrite() {
        // Types Redis reads and does not write (uint64 past 2^63 wraps, as its cast to lua_Integer).
        String[][] cases = {
            {"'\\204\\001'", "1"},
            {"'\\208\\255'", "-1"},
            {"'\\209\\255\\056'", "-200"},
            {"'\\206\\255\\255\\255\\255'", "4294967295"},
            {"'\\210\\128\\000\\000\\000'", "-2147483648"},
            {"'\\207\\255\\255\\255\\255\\255\\255\\255\\255'", "-1"},
            {"'\\218\\000\\002ab'", "ab"},
            {"'\\219\\000\\000\\000\\001z'", "z"},
            {"'\\221\\000\\000\\000\\001\\007'", "7"},
            {"'\\223\\000\\000\\000\\001\\161k\\008'", "8"},
            {"'\\222\\000\\001\\161k\\009'", "9"},
            {"'\\220\\000\\001\\006'", "6"},
        };
        for (String[] c : cases) {
            String body = "local v = cmsgpack.unpack(" + c[0] + ")"
                    + " if type(v) == 'table' then local k, x = next(v) v = x end return tostring(v)";
            assertThat(eval(body)).as(c[0]).isEqualTo(bulk(c[1]));
        }
    }

    @Test
    void unpackOneAndUnpackLimitReturnTheOffsetToGoOnFrom() {
        String stream = "local s = cmsgpack.pack('a', 2, {3}, 'dddd') ";
        assertThat(eval(stream + "local o, v = cmsgpack.unpack_one(s) return {o, v}"))
                .isEqualTo("*2\r\n:2\r\n$1\r\na\r\n");
        assertThat(eval(stream + "local o, v = cmsgpack.unpack_one(s, 2) return {o, v}"))
                .isEqualTo("*2\r\n:3\r\n:2\r\n");
        assertThat(eval(stream + "local o, v = cmsgpack.unpack_one(s, 5) return {o, v}"))
                .as("the end: -1")
                .isEqualTo("*2\r\n:-1\r\n$4\r\ndddd\r\n");
        assertThat(eval(stream + "return {cmsgpack.unpack_limit(s, 2, 2)}"))
                .isEqualTo("*3\r\n:5\r\n:2\r\n*1\r\n:3\r\n");
        assertThat(eval(stream + "return {cmsgpack.unpack_limit(s, 9)}"))
                .isEqualTo("*5\r\n:-1\r\n$1\r\na\r\n:2\r\n*1\r\n:3\r\n$4\r\ndddd\r\n");
        assertThat(eval(stream + "return {cmsgpack.unpack_limit(s, 0, 0)}"))
                .as("limit and offset 0: all values and no offset, as unpack")
                .isEqualTo("*4\r\n$1\r\na\r\n:2\r\n*1\r\n:3\r\n$4\r\ndddd\r\n");
        assertThat(eval(stream + "return {cmsgpack.unpack_limit(s, 0, 3)}")).isEqualTo("*1\r\n:3\r\n");
        assertThat(eval(stream + "return {cmsgpack.unpack_one(s, #s)}")).isEqualTo("*1\r\n:-1\r\n");
        assertThat(eval(stream + "return {cmsgpack.unpack_one(s, 2.9)}"))
                .as("an offset is truncated to an integer")
                .isEqualTo("*2\r\n:3\r\n:2\r\n");
    }

    @Test
    void badInputFailsWithRedissErrors() {
        String[][] cases = {
            {"cmsgpack.pack()", "user_script:1: bad argument #0 to 'pack' (MessagePack pack needs input.)"},
            {"cmsgpack.unpack()", "user_script:1: bad argument #1 to 'unpack' (string expected, got no value)"},
            {"cmsgpack.unpack({})", "user_script:1: bad argument #1 to 'unpack' (string expected, got table)"},
            {"cmsgpack.unpack('\\204')", "user_script:1: Missing bytes in input."},
            {"cmsgpack.unpack('\\146\\001')", "user_script:1: Missing bytes in input."},
            {"cmsgpack.unpack('\\163ab')", "user_script:1: Missing bytes in input."},
            {"cmsgpack.unpack('\\193')", "user_script:1: Bad data format in input."},
            {"cmsgpack.unpack('\\196\\001a')", "user_script:1: Bad data format in input."},
            {"cmsgpack.unpack('\\145\\212\\001\\001')", "user_script:1: Bad data format in input."},
            {
                "cmsgpack.unpack_one('abc', -1)",
                "user_script:1: Invalid request to unpack with offset of -1 and limit of 3."
            },
            {
                "cmsgpack.unpack_limit('abc', -2)",
                "user_script:1: Invalid request to unpack with offset of 0 and limit of 3."
            },
            {"cmsgpack.unpack_one('abc', 4)", "user_script:1: Start offset 4 greater than input length 3."},
            {
                "cmsgpack.unpack_one('\\001', 'x')",
                "user_script:1: bad argument #2 to 'unpack_one' (number expected, got string)"
            },
            {
                "cmsgpack.unpack_limit('\\001')",
                "user_script:1: bad argument #2 to 'unpack_limit' (number expected, got no value)"
            },
            {"cmsgpack.unpack('\\129\\192\\001')", "table index is nil"},
            {"cmsgpack.unpack('\\129\\203\\127\\248\\000\\000\\000\\000\\000\\000\\001')", "table index is NaN"},
        };
        for (String[] c : cases) {
            String body = "return " + c[0];
            assertThat(eval(body)).as(c[0]).isEqualTo(failed("ERR " + c[1], body, 1));
        }
        assertThat(eval("return {pcall(cmsgpack.unpack, '\\204')}"))
                .as("under pcall, unpositioned")
                .isEqualTo("*2\r\n$-1\r\n$23\r\nMissing bytes in input.\r\n");
        assertThat(eval("cmsgpack.pack = nil"))
                .isEqualTo(failed("ERR user_script:1: Attempt to modify a readonly table", "cmsgpack.pack = nil", 1));
        assertThat(eval("return cmsgpack.pack('x') == nil")).isEqualTo(NIL);
        assertThat(eval("return cmsgpack._VERSION")).isEqualTo(bulk("lua-cmsgpack 0.4.0"));
    }

    @Test
    void unpackingMoreValuesThanLuasStackHoldsIsRefusedAsInRedis() {
        // Lua 5.1's luaL_checkstack before each value: the argument and the values so far, plus one, within 8000.
        String body = "return select('#', cmsgpack.unpack(string.rep('\\001', 7999)))";
        assertThat(eval(body)).isEqualTo(integer(7999));
        String overflow = "ERR user_script:1: stack overflow (too many return values at once;"
                + " use unpack_one or unpack_limit instead.)";
        String over = "return cmsgpack.unpack(string.rep('\\001', 8000))";
        assertThat(eval(over)).isEqualTo(failed(overflow, over, 1));
        // Each open array holds its table and index, each map its table and key; an array also
        // asks for a slot with its new table on the stack, in words of its own.
        assertThat(eval("return type(cmsgpack.unpack(string.rep('\\145', 3999) .. '\\001'))"))
                .isEqualTo(bulk("table"));
        String deep = "return cmsgpack.unpack(string.rep('\\145', 4000) .. '\\001')";
        assertThat(eval(deep))
                .isEqualTo(failed("ERR user_script:1: stack overflow (in function mp_decode_to_lua_array)", deep, 1));
        String deeper = "return cmsgpack.unpack(string.rep('\\145', 100000) .. '\\001', 'extra')";
        assertThat(eval(deeper))
                .as("bounded so, never by the JVM's stack; an argument more takes a slot more")
                .isEqualTo(failed(overflow, deeper, 1));
        assertThat(eval("return type(cmsgpack.unpack(string.rep('\\129\\001', 3999) .. '\\001'))"))
                .isEqualTo(bulk("table"));
        String maps = "return cmsgpack.unpack(string.rep('\\129\\001', 4000) .. '\\001')";
        assertThat(eval(maps)).isEqualTo(failed(overflow, maps, 1));
        assertThat(eval("local o, v = cmsgpack.unpack_limit(string.rep('\\001', 9000), 9000) return o"))
                .as("unpack_limit leaves the string alone on the stack")
                .startsWith("-ERR user_script:1: stack overflow");
    }
}
