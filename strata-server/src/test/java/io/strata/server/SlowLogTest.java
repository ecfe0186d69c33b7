package io.strata.server;

import static io.strata.server.CommandHarness.OK;
import static io.strata.server.CommandHarness.integer;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SLOWLOG and its parameters: what is logged, how arguments are cut, the length bound, the replies. */
class SlowLogTest extends WithCommandHarness {
    @Test
    void everyCommandIsLoggedWithThresholdZeroTheNewestFirst() {
        assertThat(h.run("CONFIG", "GET", "slowlog-*")).contains("slowlog-log-slower-than", "10000", "128");
        assertThat(h.run("CONFIG", "SET", "slowlog-log-slower-than", "0")).isEqualTo(OK);
        h.run("SLOWLOG", "RESET");
        h.run("SET", "k", "v");
        h.run("CLIENT", "SETNAME", "me");
        h.run("GET", "k");
        String got = h.run("SLOWLOG", "GET", "2");
        // [id, time, µs, [args], addr, name]: GET k is the newest, after it the SETNAME
        assertThat(got).startsWith("*2\r\n*6\r\n:");
        assertThat(got).contains("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n$8\r\nembedded\r\n$2\r\nme\r\n");
        assertThat(got.indexOf("GET")).isLessThan(got.indexOf("SETNAME"));
        // each command logged once it ran: RESET, SET, SETNAME, GET, GET 2
        assertThat(h.run("SLOWLOG", "LEN")).isEqualTo(integer(5));
    }

    @Test
    void aNegativeThresholdLogsNothingAndTheLengthIsBounded() {
        h.run("CONFIG", "SET", "slowlog-log-slower-than", "-1");
        h.run("SLOWLOG", "RESET");
        h.run("SET", "k", "v");
        assertThat(h.run("SLOWLOG", "LEN")).isEqualTo(integer(0));
        h.run("CONFIG", "SET", "slowlog-log-slower-than", "0", "slowlog-max-len", "3");
        for (int i = 0; i < 10; i++) {
            h.run("SET", "k" + i, "v");
        }
        assertThat(h.run("SLOWLOG", "LEN")).isEqualTo(integer(3));
        assertThat(h.run("SLOWLOG", "GET", "-1")).startsWith("*3\r\n");
        assertThat(h.run("SLOWLOG", "GET", "-2")).isEqualTo("-ERR count should be greater than or equal to -1\r\n");
        assertThat(h.run("SLOWLOG", "GET", "x")).isEqualTo("-ERR count should be greater than or equal to -1\r\n");
        assertThat(h.run("SLOWLOG", "RESET")).isEqualTo(OK);
        // EXEC is skip_slowlog: its commands are logged, it is not
        h.run("SLOWLOG", "RESET");
        h.run("MULTI");
        h.run("SET", "a", "1");
        h.run("EXEC");
        assertThat(h.run("SLOWLOG", "GET")).doesNotContain("EXEC").contains("$1\r\na\r\n");
    }

    @Test
    void argumentsAreCutAsRedisCutsThem() {
        byte[][] argv = new byte[40][];
        argv[0] = "MSET".getBytes(StandardCharsets.US_ASCII);
        for (int i = 1; i < argv.length; i++) {
            argv[i] = (i == 1 ? "x".repeat(200) : "a" + i).getBytes(StandardCharsets.US_ASCII);
        }
        List<byte[]> cut = SlowLog.trimmed(argv);
        assertThat(cut).hasSize(SlowLog.MAX_ARGS);
        assertThat(new String(cut.get(1), StandardCharsets.US_ASCII))
                .isEqualTo("x".repeat(128) + "... (72 more bytes)");
        assertThat(new String(cut.get(31), StandardCharsets.US_ASCII)).isEqualTo("... (9 more arguments)");
        byte[][] exactly32 = java.util.Arrays.copyOf(argv, 32);
        assertThat(SlowLog.trimmed(exactly32)).hasSize(32);
        assertThat(new String(SlowLog.trimmed(exactly32).get(31), StandardCharsets.US_ASCII))
                .isEqualTo("a31");
    }
}
