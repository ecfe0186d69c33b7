package io.strata.server;

import static io.strata.server.CommandHarness.OK;
import static io.strata.server.CommandHarness.error;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** MONITOR: which commands it shows, in Redis's line format, with secrets redacted. */
class MonitorTest extends WithCommandHarness {
    @Test
    void theLineIsRedissFormat() {
        byte[][] argv = {b("set"), b("k \"q\"\\"), "v\r\n\t\u0007\b\u0001é".getBytes(StandardCharsets.UTF_8)};
        assertThat(Monitor.line(1_700_000_000_123_456L, "127.0.0.1:5555", argv))
                .isEqualTo("1700000000.123456 [0 127.0.0.1:5555] \"set\" \"k \\\"q\\\"\\\\\" "
                        + "\"v\\r\\n\\t\\a\\b\\x01\\xc3\\xa9\"");
        assertThat(Monitor.line(1_700_000_000_000_001L, "a:1", new byte[][] {b("AUTH"), b("u"), b("p")}))
                .isEqualTo("1700000000.000001 [0 a:1] \"AUTH\" \"(redacted)\" \"(redacted)\"");
        assertThat(Monitor.line(
                        0, "a:1", new byte[][] {b("hello"), b("3"), b("AUTH"), b("u"), b("p"), b("SETNAME"), b("n")}))
                .isEqualTo("0.000000 [0 a:1] \"hello\" \"3\" \"AUTH\" \"(redacted)\" \"(redacted)\" \"SETNAME\" \"n\"");
    }

    @Test
    void aMonitorSeesOtherConnectionsCommandsButNotAdministrativeOnes() {
        CommandHarness.Connection m = h.connect();
        assertThat(m.run("MONITOR")).isEqualTo(OK);
        h.run("SET", "k", "v");
        h.run("CLIENT", "LIST");
        h.run("NOSUCH");
        h.run("MULTI");
        h.run("INCR", "n");
        h.run("EXEC");
        h.run("AUTH", "secret");
        String[] lines = m.replies().split("\r\n");
        assertThat(lines).hasSize(5);
        String addr = " [0 embedded] ";
        assertThat(lines[0])
                .matches("\\+\\d{10}\\.\\d{6}" + java.util.regex.Pattern.quote(addr + "\"SET\" \"k\" \"v\""));
        assertThat(lines[1]).endsWith(addr + "\"MULTI\"");
        assertThat(lines[2]).as("a queued command is shown when EXEC runs it").endsWith(addr + "\"INCR\" \"n\"");
        assertThat(lines[3]).endsWith(addr + "\"EXEC\"");
        assertThat(lines[4]).endsWith(addr + "\"AUTH\" \"(redacted)\"");
        assertThat(h.connect().run("CLIENT", "LIST")).contains(" flags=O ").contains(" cmd=monitor ");
        h.run("MULTI");
        h.run("MONITOR");
        assertThat(h.run("EXEC")).isEqualTo("*1\r\n" + error("ERR MONITOR isn't allowed for DENY BLOCKING client"));
        m.run("RESET");
        h.run("SET", "k", "v");
        assertThat(m.replies()).as("RESET ends it").isEmpty();
    }

    /** A script: EVAL first, then each command it called, from "lua", as Redis shows them. */
    @Test
    void aScriptIsShownBeforeTheCommandsItCalls() {
        CommandHarness.Connection m = h.connect();
        assertThat(m.run("MONITOR")).isEqualTo(OK);
        h.run("EVAL", "redis.call('set', KEYS[1], ARGV[1]) return redis.call('get', KEYS[1])", "1", "foo", "bar");
        String[] lines = m.replies().split("\r\n");
        assertThat(lines).hasSize(3);
        assertThat(lines[0]).contains(" [0 embedded] \"EVAL\" ");
        assertThat(lines[1]).endsWith(" [0 lua] \"set\" \"foo\" \"bar\"");
        assertThat(lines[2]).endsWith(" [0 lua] \"get\" \"foo\"");
    }
}
