package io.strata.server;

import static io.strata.server.CommandHarness.NIL;
import static io.strata.server.CommandHarness.OK;
import static io.strata.server.CommandHarness.START;
import static io.strata.server.CommandHarness.bulk;
import static io.strata.server.CommandHarness.error;
import static io.strata.server.CommandHarness.integer;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.server.store.ValueCodec;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The string commands run against a store without a socket ({@link CommandHarness}), on a fixed clock. */
class StringCommandsTest extends WithCommandHarness {
    static final String NOT_INTEGER = error("ERR value is not an integer or out of range");
    static final String SYNTAX = error("ERR syntax error");

    private static byte[] encoded(String payload, long expireAt) {
        return ValueCodec.encode(payload.getBytes(StandardCharsets.UTF_8), expireAt);
    }

    @Test
    void setStoresTheValueWithoutExpiry() {
        assertThat(h.run("SET", "k", "v")).isEqualTo(OK);
        assertThat(h.stored("k")).isEqualTo(encoded("v", 0));
        assertThat(h.run("GET", "k")).isEqualTo(bulk("v"));
        assertThat(h.run("PTTL", "k")).isEqualTo(integer(-1));
    }

    @Test
    void setNxAndXxWriteOnlyWhenTheKeyIsAbsentOrPresent() {
        assertThat(h.run("SET", "k", "a", "NX")).isEqualTo(OK);
        assertThat(h.run("SET", "k", "b", "NX")).isEqualTo(NIL);
        assertThat(h.run("GET", "k")).isEqualTo(bulk("a"));
        assertThat(h.run("SET", "k", "c", "XX")).isEqualTo(OK);
        assertThat(h.run("SET", "other", "c", "XX")).isEqualTo(NIL);
        assertThat(h.stored("other")).isNull();
        assertThat(h.run("GET", "k")).isEqualTo(bulk("c"));
        assertThat(h.run("SET", "k", "d", "NX", "XX")).isEqualTo(SYNTAX);
        assertThat(h.run("SET", "k", "d", "XX", "NX")).isEqualTo(SYNTAX);
    }

    @Test
    void setGetRepliesWithTheOldValue() {
        assertThat(h.run("SET", "k", "a", "GET")).isEqualTo(NIL);
        assertThat(h.run("SET", "k", "b", "GET")).isEqualTo(bulk("a"));
        assertThat(h.run("SET", "k", "c", "NX", "GET")).isEqualTo(bulk("b")); // not written, old value shown
        assertThat(h.run("GET", "k")).isEqualTo(bulk("b"));
    }

    @Test
    void setExpiryOptions() {
        assertThat(h.run("SET", "ex", "v", "EX", "10")).isEqualTo(OK);
        assertThat(h.stored("ex")).isEqualTo(encoded("v", START + 10_000));
        assertThat(h.run("SET", "px", "v", "PX", "1500")).isEqualTo(OK);
        assertThat(h.run("PTTL", "px")).isEqualTo(integer(1500));
        assertThat(h.run("SET", "exat", "v", "EXAT", Long.toString(START / 1000 + 100)))
                .isEqualTo(OK);
        assertThat(h.run("PEXPIRETIME", "exat")).isEqualTo(integer(START + 100_000));
        assertThat(h.run("SET", "pxat", "v", "pxat", Long.toString(START + 5))).isEqualTo(OK);
        assertThat(h.run("PEXPIRETIME", "pxat")).isEqualTo(integer(START + 5));

        assertThat(h.run("SET", "k", "v", "EX", "0")).isEqualTo(error("ERR invalid expire time in 'set' command"));
        assertThat(h.run("SET", "k", "v", "PX", "-1")).isEqualTo(error("ERR invalid expire time in 'set' command"));
        assertThat(h.run("SET", "k", "v", "EX", Long.toString(Long.MAX_VALUE / 100)))
                .isEqualTo(error("ERR invalid expire time in 'set' command")); // overflows in milliseconds
        assertThat(h.run("SET", "k", "v", "EX", "ten")).isEqualTo(NOT_INTEGER);
        assertThat(h.run("SET", "k", "v", "EX", "10", "PX", "10")).isEqualTo(SYNTAX);
        assertThat(h.run("SET", "k", "v", "EX")).isEqualTo(SYNTAX);
        assertThat(h.stored("k")).isNull();
    }

    @Test
    void setWithAnExpiryAlreadyPastDeletesTheKey() {
        h.run("SET", "k", "old");
        assertThat(h.run("SET", "k", "v", "PXAT", Long.toString(START))).isEqualTo(OK);
        assertThat(h.stored("k")).isNull();
        h.run("SET", "k", "old");
        assertThat(h.run("SET", "k", "v", "EXAT", "1", "XX")).isEqualTo(OK); // the conditional form too
        assertThat(h.stored("k")).isNull();
    }

    @Test
    void setKeepTtlKeepsTheOldExpiry() {
        h.run("SET", "k", "a", "EX", "100");
        assertThat(h.run("SET", "k", "b", "KEEPTTL")).isEqualTo(OK);
        assertThat(h.stored("k")).isEqualTo(encoded("b", START + 100_000));
        assertThat(h.run("SET", "k", "c")).isEqualTo(OK);
        assertThat(h.run("TTL", "k")).isEqualTo(integer(-1));
        assertThat(h.run("SET", "k", "d", "KEEPTTL", "EX", "1")).isEqualTo(SYNTAX);
        assertThat(h.run("SET", "k", "d", "PX", "1", "KEEPTTL")).isEqualTo(SYNTAX);
    }

    @Test
    void setRefusesKeysTheEngineCannotHold() {
        assertThat(h.run("SET", "", "v")).isEqualTo(error("ERR Strata does not support empty keys"));
        assertThat(h.run("SET", "k".repeat(64 * 1024 + 1), "v"))
                .isEqualTo(error("ERR key is 65537 bytes; Strata's limit is 65536"));
    }

    @Test
    void setexAndPsetexStoreWithAnExpiry() {
        assertThat(h.run("SETEX", "s", "10", "v")).isEqualTo(OK);
        assertThat(h.stored("s")).isEqualTo(encoded("v", START + 10_000));
        assertThat(h.run("PSETEX", "p", "1500", "v")).isEqualTo(OK);
        assertThat(h.stored("p")).isEqualTo(encoded("v", START + 1500));
        assertThat(h.run("SETEX", "s", "0", "v")).isEqualTo(error("ERR invalid expire time in 'setex' command"));
        assertThat(h.run("PSETEX", "p", "-5", "v")).isEqualTo(error("ERR invalid expire time in 'psetex' command"));
        assertThat(h.run("SETEX", "s", "x", "v")).isEqualTo(NOT_INTEGER);
        assertThat(h.run("SETEX", "s", "10")).isEqualTo(error("ERR wrong number of arguments for 'setex' command"));
        assertThat(h.run("TTL", "s")).isEqualTo(integer(10));
    }

    @Test
    void anExpiryPassedByTheTimeTheWriteIsStoredDeletesTheKey() {
        h.run("SET", "p", "old");
        h.run("SET", "s", "old");
        h.tick.set(1); // the clock moves 1 ms per reading: PSETEX's 1 ms is over when the write is built
        assertThat(h.run("PSETEX", "p", "1", "v")).isEqualTo(OK);
        assertThat(h.stored("p")).isNull();
        h.tick.set(1000);
        assertThat(h.run("SETEX", "s", "1", "v")).isEqualTo(OK);
        assertThat(h.stored("s")).isNull();
    }

    @Test
    void msetWritesEveryPairAndMsetnxNoneIfAnyKeyExists() {
        assertThat(h.run("MSET", "a", "1", "b", "2", "a", "3")).isEqualTo(OK); // the last write of a key wins
        assertThat(h.run("MGET", "a", "b", "c")).isEqualTo("*3\r\n" + bulk("3") + bulk("2") + NIL);
        assertThat(h.run("MSET", "a", "1", "b")).isEqualTo(error("ERR wrong number of arguments for 'mset' command"));
        assertThat(h.run("MSET", "a", "1", "", "2")).isEqualTo(error("ERR Strata does not support empty keys"));
        assertThat(h.run("GET", "a")).isEqualTo(bulk("3"));

        assertThat(h.run("MSETNX", "c", "1", "a", "9")).isEqualTo(integer(0));
        assertThat(h.stored("c")).isNull();
        assertThat(h.run("MSETNX", "c", "1", "d", "2")).isEqualTo(integer(1));
        assertThat(h.stored("d")).isEqualTo(encoded("2", 0));
        assertThat(h.run("MSETNX", "e", "1", "f"))
                .isEqualTo(error("ERR wrong number of arguments for 'msetnx' command"));
    }

    @Test
    void incrFamily() {
        assertThat(h.run("INCR", "n")).isEqualTo(integer(1));
        assertThat(h.run("INCRBY", "n", "5")).isEqualTo(integer(6));
        assertThat(h.run("DECR", "n")).isEqualTo(integer(5));
        assertThat(h.run("DECRBY", "n", "7")).isEqualTo(integer(-2));
        assertThat(h.stored("n")).isEqualTo(encoded("-2", 0));
        assertThat(h.run("INCRBY", "n", "five")).isEqualTo(NOT_INTEGER);
        assertThat(h.run("INCRBY", "n", "+5")).isEqualTo(NOT_INTEGER);

        h.run("SET", "t", "1", "EX", "100");
        assertThat(h.run("INCR", "t")).isEqualTo(integer(2));
        assertThat(h.run("PTTL", "t")).isEqualTo(integer(100_000)); // the expiry stays

        h.run("SET", "w", "12abc");
        assertThat(h.run("INCR", "w")).isEqualTo(NOT_INTEGER);
        assertThat(h.run("GET", "w")).isEqualTo(bulk("12abc"));
        h.run("SET", "w", " 1");
        assertThat(h.run("DECR", "w")).isEqualTo(NOT_INTEGER);
    }

    @Test
    void incrOverflowIsAnError() {
        h.run("SET", "max", Long.toString(Long.MAX_VALUE));
        assertThat(h.run("INCR", "max")).isEqualTo(error("ERR increment or decrement would overflow"));
        assertThat(h.run("GET", "max")).isEqualTo(bulk(Long.toString(Long.MAX_VALUE)));
        h.run("SET", "min", Long.toString(Long.MIN_VALUE));
        assertThat(h.run("DECR", "min")).isEqualTo(error("ERR increment or decrement would overflow"));
        assertThat(h.run("DECRBY", "n", Long.toString(Long.MIN_VALUE)))
                .isEqualTo(error("ERR decrement would overflow"));
        assertThat(h.run("INCRBY", "n", "9223372036854775808")).isEqualTo(NOT_INTEGER);
        assertThat(h.stored("n")).isNull();
    }

    @Test
    void incrByFloat() {
        assertThat(h.run("INCRBYFLOAT", "f", "1.5")).isEqualTo(bulk("1.5"));
        assertThat(h.run("INCRBYFLOAT", "f", "2.5")).isEqualTo(bulk("4"));
        assertThat(h.run("INCRBYFLOAT", "f", "abc")).isEqualTo(error("ERR value is not a valid float"));
        // Redis adds in long double, where 1e308 + 1e308 is finite and 1e4932 + 1e4932 is not.
        h.run("SET", "big", "1e4932");
        assertThat(h.run("INCRBYFLOAT", "big", "1e4932"))
                .isEqualTo(error("ERR increment would produce NaN or Infinity"));
        h.run("SET", "s", "x");
        assertThat(h.run("INCRBYFLOAT", "s", "1")).isEqualTo(error("ERR value is not a valid float"));
        // As redis-server 7: an infinite increment is read, and refused as a result; NaN is no float.
        assertThat(h.run("INCRBYFLOAT", "f", "+inf")).isEqualTo(error("ERR increment would produce NaN or Infinity"));
        assertThat(h.run("INCRBYFLOAT", "f", "-Infinity"))
                .isEqualTo(error("ERR increment would produce NaN or Infinity"));
        assertThat(h.run("INCRBYFLOAT", "f", "nan")).isEqualTo(error("ERR value is not a valid float"));
        assertThat(h.run("GET", "f")).isEqualTo(bulk("4"));
    }

    @Test
    void appendAndSetrangeStopAtTheLargestValue() {
        int max = ValueCodec.MAX_PAYLOAD;
        String tooBig = error("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
        assertThat(h.run("SETRANGE", "k", Integer.toString(max), "x")).isEqualTo(tooBig);
        assertThat(h.run("SETRANGE", "k", Long.toString(Long.MAX_VALUE - 1), "x"))
                .isEqualTo(tooBig);
        assertThat(h.run("SETRANGE", "k", Long.toString(Long.MAX_VALUE), "xy")).isEqualTo(tooBig); // no overflow
        assertThat(h.run("SETRANGE", "k", "-1", "x")).isEqualTo(error("ERR offset is out of range"));
        assertThat(h.run("SETRANGE", "k", "5", "")).isEqualTo(integer(0)); // nothing to write: no key made
        assertThat(h.stored("k")).isNull();

        assertThat(h.run("SETRANGE", "big", Integer.toString(max - 1), "x")).isEqualTo(integer(max));
        assertThat(h.run("APPEND", "big", "y")).isEqualTo(tooBig);
        assertThat(h.run("SETRANGE", "big", Integer.toString(max), "y")).isEqualTo(tooBig);
        assertThat(h.run("STRLEN", "big")).isEqualTo(integer(max));
        assertThat(h.run("APPEND", "big", "")).isEqualTo(integer(max));

        assertThat(h.run("APPEND", "a", "xy")).isEqualTo(integer(2));
        assertThat(h.run("SETRANGE", "a", "4", "z")).isEqualTo(integer(5));
        assertThat(h.run("GET", "a")).isEqualTo(bulk("xy\0\0z"));
    }
}
