package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Byte-exact protocol behaviour over a plain socket. */
class RawProtocolTest {
    @TempDir
    Path dir;

    TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(dir);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void inlineCommandsWithQuotes() throws Exception {
        try (var c = server.raw()) {
            c.send("PING\r\n");
            assertThat(c.reply()).isEqualTo("+PONG\r\n");
            c.send("SET greeting \"hello world\\n\"\r\n");
            assertThat(c.reply()).isEqualTo("+OK\r\n");
            c.send("GET greeting\n"); // a bare LF ends an inline command too
            assertThat(c.reply()).isEqualTo("$12\r\nhello world\n\r\n");
            c.send("\r\n   \r\nECHO 'it''s'\r\n");
            assertThat(c.reply()).startsWith("-ERR Protocol error: unbalanced quotes");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    /** As Redis: a script's own pushes wait for its reply (pubsub.tcl's "publish to self inside script"). */
    @Test
    void aResp3ClientPublishingToItselfFromAScriptGetsTheReplyFirst() throws Exception {
        try (var c = server.raw()) {
            c.send(TestServer.RawClient.encode("HELLO", "3"));
            assertThat(c.reply()).startsWith("%");
            c.send(TestServer.RawClient.encode("SUBSCRIBE", "foo"));
            assertThat(c.reply()).isEqualTo(">3\r\n$9\r\nsubscribe\r\n$3\r\nfoo\r\n:1\r\n");
            c.send(TestServer.RawClient.encode(
                    "EVAL",
                    "redis.call('publish', 'foo', 'bar'); redis.call('publish', 'foo', 'vaz'); return 'bla'",
                    "0"));
            assertThat(c.reply()).isEqualTo("$3\r\nbla\r\n");
            assertThat(c.reply()).isEqualTo(">3\r\n$7\r\nmessage\r\n$3\r\nfoo\r\n$3\r\nbar\r\n");
            assertThat(c.reply()).isEqualTo(">3\r\n$7\r\nmessage\r\n$3\r\nfoo\r\n$3\r\nvaz\r\n");
        }
    }

    @Test
    void pipelineOfThousandCommandsIsAnsweredInOrder() throws Exception {
        try (var c = server.raw()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 1000; i++) {
                sb.append(TestServer.RawClient.encode("SET", "k" + i, "v" + i));
                sb.append(TestServer.RawClient.encode("INCR", "counter"));
                sb.append(TestServer.RawClient.encode("GET", "k" + i));
            }
            c.send(sb.toString());
            for (int i = 0; i < 1000; i++) {
                assertThat(c.reply()).isEqualTo("+OK\r\n");
                assertThat(c.reply()).isEqualTo(":" + (i + 1) + "\r\n");
                String v = "v" + i;
                assertThat(c.reply()).isEqualTo("$" + v.length() + "\r\n" + v + "\r\n");
            }
        }
    }

    @Test
    void pipelinedBlindWritesAreBatched() throws Exception {
        try (var c = server.raw()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 500; i++) {
                sb.append(TestServer.RawClient.encode("SET", "b" + i, "x"));
            }
            sb.append(TestServer.RawClient.encode("DBSIZE"));
            c.send(sb.toString());
            for (int i = 0; i < 500; i++) {
                assertThat(c.reply()).isEqualTo("+OK\r\n");
            }
            assertThat(c.reply()).isEqualTo(":500\r\n");
            c.command("INFO", "stats");
            String info = c.reply();
            long batches = Long.parseLong(info.replaceAll("(?s).*strata_write_batches:(\\d+).*", "$1"));
            assertThat(batches).isBetween(1L, 499L);
        }
    }

    @Test
    void pipelinedLargeValuesSplitIntoSeveralBatches() throws Exception {
        try (var c = server.raw()) {
            String big = "x".repeat(3 * 1024 * 1024);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 4; i++) {
                sb.append(TestServer.RawClient.encode("SET", "big" + i, big + i));
            }
            sb.append(TestServer.RawClient.encode("MSET", "m1", big, "m2", "small"));
            sb.append(TestServer.RawClient.encode("STRLEN", "big3"));
            c.send(sb.toString());
            for (int i = 0; i < 5; i++) {
                assertThat(c.reply()).isEqualTo("+OK\r\n");
            }
            assertThat(c.reply()).isEqualTo(":" + (big.length() + 1) + "\r\n");
            c.command("GET", "big2");
            assertThat(c.reply()).endsWith(big + "2\r\n");
        }
    }

    @Test
    void hugeBulkHeaderIsRefusedWithoutAllocatingAndOthersKeepWorking() throws Exception {
        try (var other = server.raw();
                var bad = server.raw()) {
            other.command("SET", "x", "1");
            assertThat(other.reply()).isEqualTo("+OK\r\n");
            Runtime rt = Runtime.getRuntime();
            bad.send("*2\r\n$3\r\nGET\r\n$2147483647\r\n");
            assertThat(bad.reply()).isEqualTo("-ERR Protocol error: invalid bulk length\r\n");
            assertThat(bad.closedByServer()).isTrue();
            // a huge array count is refused the same way, before any allocation
            try (var bad2 = server.raw()) {
                bad2.send("*2147483647\r\n");
                assertThat(bad2.reply()).isEqualTo("-ERR Protocol error: invalid multibulk length\r\n");
                assertThat(bad2.closedByServer()).isTrue();
            }
            assertThat(rt.totalMemory()).isLessThan(2L * 1024 * 1024 * 1024 + rt.maxMemory() / 2);
            other.command("GET", "x");
            assertThat(other.reply()).isEqualTo("$1\r\n1\r\n");
        }
    }

    @Test
    void aValidHeaderWaitsForItsDataWithoutAllocatingIt() throws Exception {
        try (var c = server.raw();
                var other = server.raw()) {
            // 60 MiB announced, 3 bytes sent: the server waits; nothing is allocated for the body
            c.send("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$62914560\r\nabc");
            other.command("PING");
            assertThat(other.reply()).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void malformedInputGetsProtocolErrorsAndClosesOnlyThatConnection() throws Exception {
        String[][] cases = {
            {"*1\r\n:5\r\n", "-ERR Protocol error: expected '$', got ':'\r\n"},
            {"*x\r\n", "-ERR Protocol error: invalid multibulk length\r\n"},
            {"*1\r\n$-5\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
            {"*1\r\n$abc\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
            {"*1\r\n$3\r\nPINGX\r\n", "-ERR Protocol error: expected '\\r\\n' after a bulk string of 3 bytes\r\n"},
            {"*1\r\n$" + "9".repeat(30) + "\r\n", "-ERR Protocol error: invalid bulk length\r\n"},
        };
        for (String[] c : cases) {
            try (var bad = server.raw()) {
                bad.send(c[0]);
                assertThat(bad.reply()).as(c[0]).isEqualTo(c[1]);
                assertThat(bad.closedByServer()).isTrue();
            }
        }
        try (var bad = server.raw()) {
            bad.send("X".repeat(70 * 1024)); // no newline within 64 KiB
            assertThat(bad.reply()).isEqualTo("-ERR Protocol error: too big inline request\r\n");
        }
        try (var bad = server.raw()) {
            bad.send("*" + "1".repeat(70 * 1024));
            assertThat(bad.reply()).isEqualTo("-ERR Protocol error: too big mbulk count string\r\n");
        }
        try (var ok = server.raw()) {
            ok.command("PING");
            assertThat(ok.reply()).isEqualTo("+PONG\r\n");
            ok.command("INFO", "stats");
            assertThat(ok.reply()).contains("strata_protocol_errors:8");
        }
    }

    @Test
    void repliesBeforeAProtocolErrorAreSent() throws Exception {
        try (var c = server.raw()) {
            c.send("PING\r\n*1\r\n$4\r\nPING\r\n*1\r\n!oops\r\n");
            assertThat(c.reply()).isEqualTo("+PONG\r\n");
            assertThat(c.reply()).isEqualTo("+PONG\r\n");
            assertThat(c.reply()).isEqualTo("-ERR Protocol error: expected '$', got '!'\r\n");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void unknownCommandsAndWrongArityUseRedisTexts() throws Exception {
        try (var c = server.raw()) {
            c.command("NOSUCH", "a", "b");
            assertThat(c.reply()).isEqualTo("-ERR unknown command 'NOSUCH', with args beginning with: 'a' 'b' \r\n");
            c.command("nosuch");
            assertThat(c.reply()).isEqualTo("-ERR unknown command 'nosuch', with args beginning with: \r\n");
            c.command("GET");
            assertThat(c.reply()).isEqualTo("-ERR wrong number of arguments for 'get' command\r\n");
            c.command("SET", "k");
            assertThat(c.reply()).isEqualTo("-ERR wrong number of arguments for 'set' command\r\n");
            c.command("MSET", "a", "1", "b");
            assertThat(c.reply()).isEqualTo("-ERR wrong number of arguments for 'mset' command\r\n");
            c.command("CLIENT", "SETNAME");
            assertThat(c.reply()).isEqualTo("-ERR wrong number of arguments for 'client|setname' command\r\n");
            c.command("CLIENT", "FOO");
            assertThat(c.reply()).isEqualTo("-ERR unknown subcommand 'FOO'. Try CLIENT HELP.\r\n");
            c.command("SET", "k", "v", "NX", "XX");
            assertThat(c.reply()).isEqualTo("-ERR syntax error\r\n");
            c.command("SET", "k", "v", "EX", "0");
            assertThat(c.reply()).isEqualTo("-ERR invalid expire time in 'set' command\r\n");
            c.command("SET", "k", "v", "EX", "abc");
            assertThat(c.reply()).isEqualTo("-ERR value is not an integer or out of range\r\n");
            c.command("SETEX", "k", "-1", "v");
            assertThat(c.reply()).isEqualTo("-ERR invalid expire time in 'setex' command\r\n");
            c.command("SELECT", "1");
            assertThat(c.reply()).isEqualTo("-ERR DB index is out of range\r\n");
            c.command("SELECT", "0");
            assertThat(c.reply()).isEqualTo("+OK\r\n");
            c.command("SET", "n", "abc");
            assertThat(c.reply()).isEqualTo("+OK\r\n");
            c.command("INCR", "n");
            assertThat(c.reply()).isEqualTo("-ERR value is not an integer or out of range\r\n");
            c.command("SET", "n", "9223372036854775807");
            c.reply();
            c.command("INCR", "n");
            assertThat(c.reply()).isEqualTo("-ERR increment or decrement would overflow\r\n");
            c.command("INCRBYFLOAT", "n", "x");
            assertThat(c.reply()).isEqualTo("-ERR value is not a valid float\r\n");
            c.command("SCAN", "abc");
            assertThat(c.reply()).isEqualTo("-ERR invalid cursor\r\n");
            c.command("AUTH", "pw");
            assertThat(c.reply())
                    .isEqualTo("-ERR AUTH <password> called without any password configured for the "
                            + "default user. Are you sure your client is configured correctly?\r\n");
            c.command("HELLO", "4");
            assertThat(c.reply()).isEqualTo("-NOPROTO unsupported protocol version\r\n");
            c.command("CONFIG", "SET", "nosuch", "1");
            assertThat(c.reply()).isEqualTo("-ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'\r\n");
            c.command("CONFIG", "SET", "proto-max-bulk-len", "128mb");
            assertThat(c.reply())
                    .startsWith("-ERR CONFIG SET failed (possibly related to argument 'proto-max-bulk-len')"
                            + " - proto-max-bulk-len must not exceed 67108864");
            c.command("PING");
            assertThat(c.reply()).isEqualTo("+PONG\r\n");
        }
    }

    @Test
    void hello3SwitchesTheConnectionToResp3() throws Exception {
        try (var c = server.raw()) {
            c.command("GET", "missing");
            assertThat(c.reply()).isEqualTo("$-1\r\n");
            c.command("CONFIG", "GET", "databases");
            assertThat(c.reply()).isEqualTo("*2\r\n$9\r\ndatabases\r\n$1\r\n1\r\n");
            c.command("HELLO", "3", "SETNAME", "tester");
            String hello = c.reply();
            assertThat(hello)
                    .startsWith("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n")
                    .contains("$5\r\nproto\r\n:3\r\n");
            c.command("GET", "missing");
            assertThat(c.reply()).isEqualTo("_\r\n");
            c.command("CONFIG", "GET", "databases");
            assertThat(c.reply()).isEqualTo("%1\r\n$9\r\ndatabases\r\n$1\r\n1\r\n");
            c.command("CLIENT", "GETNAME");
            assertThat(c.reply()).isEqualTo("$6\r\ntester\r\n");
            c.command("CLIENT", "INFO");
            assertThat(c.reply())
                    .startsWith("=")
                    .contains("txt:id=")
                    .contains("name=tester")
                    .contains("resp=3");
            c.command("RESET");
            assertThat(c.reply()).isEqualTo("+RESET\r\n");
            c.command("GET", "missing");
            assertThat(c.reply()).isEqualTo("$-1\r\n");
        }
    }

    @Test
    void quitRepliesOkAndCloses() throws Exception {
        try (var c = server.raw()) {
            c.send("QUIT\r\nPING\r\n");
            assertThat(c.reply()).isEqualTo("+OK\r\n");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void commandCountInfoAndDocs() throws Exception {
        try (var c = server.raw()) {
            c.command("COMMAND", "COUNT");
            String count = c.reply();
            assertThat(Integer.parseInt(count.substring(1).trim())).isGreaterThan(50);
            c.command("COMMAND", "INFO", "get", "nosuch");
            assertThat(c.reply())
                    .startsWith("*2\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n")
                    .endsWith("*-1\r\n");
            c.command("COMMAND", "DOCS", "set");
            assertThat(c.reply()).startsWith("*2\r\n$3\r\nset\r\n*8\r\n$7\r\nsummary\r\n");
        }
    }
}
