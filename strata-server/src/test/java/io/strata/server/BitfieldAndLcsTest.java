package io.strata.server;

import static io.strata.server.CommandHarness.NIL;
import static io.strata.server.CommandHarness.bulk;
import static io.strata.server.CommandHarness.error;
import static io.strata.server.CommandHarness.integer;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** BITFIELD, BITFIELD_RO and LCS: the cases of Redis's tests/unit/bitfield.tcl and type/string.tcl. */
class BitfieldAndLcsTest extends WithCommandHarness {

    static String ints(long... values) {
        StringBuilder sb = new StringBuilder("*" + values.length + "\r\n");
        for (long v : values) {
            sb.append(integer(v));
        }
        return sb.toString();
    }

    @Test
    void signedAndUnsignedSetGet() {
        assertThat(h.run("BITFIELD", "bits", "SET", "i8", "0", "-100")).isEqualTo(ints(0));
        assertThat(h.run("BITFIELD", "bits", "GET", "i8", "0")).isEqualTo(ints(-100));
        assertThat(h.run("BITFIELD", "bits", "SET", "u8", "0", "255")).isEqualTo(ints(156));
        assertThat(h.run("BITFIELD", "bits", "GET", "u8", "0")).isEqualTo(ints(255));
        assertThat(h.run("BITFIELD", "bits", "SET", "i64", "0", Long.toString(Long.MIN_VALUE)))
                .isEqualTo(ints(0xffL << 56)); // the byte 0xff, then zeros past the string's end
        assertThat(h.run("BITFIELD", "bits", "GET", "i64", "0")).isEqualTo(ints(Long.MIN_VALUE));
        assertThat(h.run("BITFIELD", "bits", "SET", "u63", "1", Long.toString(Long.MAX_VALUE)))
                .isEqualTo(ints(0));
        assertThat(h.run("BITFIELD", "bits", "GET", "u63", "1", "GET", "u1", "0", "GET", "i1", "1"))
                .isEqualTo(ints(Long.MAX_VALUE, 1, -1));
        assertThat(h.run("BITFIELD", "nope", "GET", "u8", "0", "GET", "i5", "100"))
                .isEqualTo(ints(0, 0));
        assertThat(h.stored("nope")).isNull(); // GET alone creates nothing
        assertThat(h.run("BITFIELD", "nope")).isEqualTo("*0\r\n");
    }

    @Test
    void hashOffsetsAndUnalignedFields() {
        assertThat(h.run("BITFIELD", "k", "SET", "u8", "#0", "1", "SET", "u8", "#1", "2", "SET", "u8", "#2", "3"))
                .isEqualTo(ints(0, 0, 0));
        assertThat(h.run("GET", "k")).isEqualTo(bulk("\u0001\u0002\u0003"));
        assertThat(h.run("BITFIELD", "k", "GET", "u16", "4")).isEqualTo(ints(0x1020)); // bits 4..19
        assertThat(h.run("BITFIELD", "k", "INCRBY", "u4", "#5", "15"))
                .isEqualTo(ints(2)); // bits 20..23: 3 + 15, wrapped
        assertThat(h.run("GET", "k")).isEqualTo(bulk("\u0001\u0002\u0002"));
    }

    @Test
    void overflowWrapSatFail() {
        assertThat(h.run("BITFIELD", "k", "SET", "u2", "0", "3", "INCRBY", "u2", "0", "1"))
                .isEqualTo(ints(0, 0));
        assertThat(h.run("BITFIELD", "k", "OVERFLOW", "SAT", "INCRBY", "u2", "0", "10"))
                .isEqualTo(ints(3));
        assertThat(h.run("BITFIELD", "k", "OVERFLOW", "SAT", "INCRBY", "u2", "0", "-10"))
                .isEqualTo(ints(0));
        assertThat(h.run("BITFIELD", "k", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "4"))
                .isEqualTo("*1\r\n" + NIL);
        assertThat(h.run("BITFIELD", "k", "SET", "i8", "0", "127", "INCRBY", "i8", "0", "1"))
                .isEqualTo(ints(0, -128));
        assertThat(h.run("BITFIELD", "k", "OVERFLOW", "SAT", "INCRBY", "i8", "0", "-1000"))
                .isEqualTo(ints(-128));
        assertThat(h.run("BITFIELD", "k", "OVERFLOW", "SAT", "INCRBY", "i8", "0", "1000"))
                .isEqualTo(ints(127));
        assertThat(h.run("BITFIELD", "k", "OVERFLOW", "WRAP", "SET", "i8", "0", "200"))
                .isEqualTo(ints(127));
        assertThat(h.run("BITFIELD", "k", "GET", "i8", "0")).isEqualTo(ints(-56));
        // An unsigned SET reads its value as unsigned 64 bits, as Redis does: -1 is too large, SAT gives the max.
        assertThat(h.run("BITFIELD", "k", "OVERFLOW", "SAT", "SET", "u8", "0", "-1", "GET", "u8", "0"))
                .isEqualTo(ints(200, 255));
        assertThat(h.run(
                        "BITFIELD",
                        "k",
                        "SET",
                        "i64",
                        "0",
                        Long.toString(Long.MAX_VALUE),
                        "OVERFLOW",
                        "FAIL",
                        "INCRBY",
                        "i64",
                        "0",
                        "1",
                        "OVERFLOW",
                        "WRAP",
                        "INCRBY",
                        "i64",
                        "0",
                        "1"))
                .isEqualTo("*3\r\n" + integer(0xffL << 56) + NIL + integer(Long.MIN_VALUE)); // old: 0xff, zeros
    }

    @Test
    void errors() {
        String type = error("ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported "
                + "but i64 is.");
        for (String bad : new String[] {"u64", "i65", "i0", "x8", "i", "I8"}) {
            assertThat(h.run("BITFIELD", "k", "GET", bad, "0")).as(bad).isEqualTo(type);
        }
        String offset = error("ERR bit offset is not an integer or out of range");
        assertThat(h.run("BITFIELD", "k", "GET", "u8", "-1")).isEqualTo(offset);
        assertThat(h.run("BITFIELD", "k", "GET", "u8", "4294967296")).isEqualTo(offset);
        assertThat(h.run("BITFIELD", "k", "GET", "u8", "#x")).isEqualTo(offset);
        assertThat(h.run("BITFIELD", "k", "SET", "u8", "0", "x"))
                .isEqualTo(error("ERR value is not an integer or out " + "of range"));
        assertThat(h.run("BITFIELD", "k", "OVERFLOW", "NOPE")).isEqualTo(error("ERR Invalid OVERFLOW type specified"));
        assertThat(h.run("BITFIELD", "k", "GET", "u8")).isEqualTo(error("ERR syntax error"));
        assertThat(h.run("BITFIELD", "k", "FOO", "u8", "0")).isEqualTo(error("ERR syntax error"));
        assertThat(h.run("BITFIELD_RO", "k", "SET", "u8", "0", "1"))
                .isEqualTo(error("ERR BITFIELD_RO only supports the GET subcommand"));
        h.run("SET", "k", "\u0001");
        assertThat(h.run("BITFIELD_RO", "k", "GET", "u8", "0")).isEqualTo(ints(1));
        assertThat(h.stored("nothing")).isNull();
    }

    @Test
    void lcs() {
        h.run("MSET", "a", "ohmytext", "b", "mynewtext");
        assertThat(h.run("LCS", "a", "b")).isEqualTo(bulk("mytext"));
        assertThat(h.run("LCS", "a", "b", "LEN")).isEqualTo(integer(6));
        assertThat(h.run("LCS", "a", "b", "IDX"))
                .isEqualTo("*4\r\n" + bulk("matches") + "*2\r\n"
                        + "*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n"
                        + "*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n"
                        + bulk("len") + integer(6));
        assertThat(h.run("LCS", "a", "b", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"))
                .isEqualTo("*4\r\n" + bulk("matches") + "*1\r\n"
                        + "*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n"
                        + bulk("len") + integer(6));
        assertThat(h.run("LCS", "a", "missing")).isEqualTo(bulk(""));
        assertThat(h.run("LCS", "a", "b", "LEN", "IDX"))
                .isEqualTo(error("ERR If you want both the length and indexes, please just use IDX."));
        assertThat(h.run("LCS", "a", "b", "MINMATCHLEN")).isEqualTo(error("ERR syntax error"));
        assertThat(h.run("LCS", "a", "b", "NOPE")).isEqualTo(error("ERR syntax error"));
    }
}
