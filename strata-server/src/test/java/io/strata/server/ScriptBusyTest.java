package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A script running past busy-reply-threshold, seen from a second connection over a real socket:
 * its commands are answered BUSY (also a write already waiting for the script's locks), SCRIPT
 * KILL stops a script that has not written (no pcall can catch that) and refuses one that has.
 * Every wait is bounded by the clients' 10-second read timeout.
 */
class ScriptBusyTest {
    @TempDir
    Path dir;

    static final String BUSY = "-" + Scripts.BUSY + "\r\n";
    static final String LOOP = "local i = 0 while true do i = i + 1 end";

    private static TestServer start(Path dir, long thresholdMillis) {
        return TestServer.start(dir, c -> c.busyReplyThresholdMillis(thresholdMillis));
    }

    /** Sends PING until it is answered BUSY; fails after 5 seconds. */
    private static void awaitBusy(TestServer.RawClient c) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            String reply = c.command("PING").reply();
            if (reply.equals(BUSY)) {
                return;
            }
            assertThat(reply).isEqualTo("+PONG\r\n");
            assertThat(System.nanoTime()).as("BUSY within 5 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void pastTheThresholdOthersAreBusyAndScriptKillStopsTheScript() throws Exception {
        try (TestServer server = start(dir, 100);
                TestServer.RawClient a = server.raw();
                TestServer.RawClient b = server.raw()) {
            assertThat(b.command("SCRIPT", "KILL").reply())
                    .isEqualTo("-NOTBUSY No scripts in execution right now.\r\n");
            a.command("EVAL", LOOP, "0");
            awaitBusy(b);
            assertThat(b.command("GET", "k").reply()).isEqualTo(BUSY);
            assertThat(b.command("SET", "k", "v").reply()).isEqualTo(BUSY);
            assertThat(b.command("EVAL", "return 1", "0").reply()).isEqualTo(BUSY);
            assertThat(b.command("SCRIPT", "KILL").reply()).isEqualTo("+OK\r\n");
            assertThat(a.reply())
                    .isEqualTo("-ERR Script killed by user with SCRIPT KILL... script: " + ScriptingTest.sha(LOOP)
                            + ", on @user_script:1.\r\n");
            assertThat(b.command("PING").reply()).isEqualTo("+PONG\r\n");
            assertThat(a.command("GET", "k").reply())
                    .as("nothing written meanwhile")
                    .isEqualTo("$-1\r\n");
        }
    }

    @Test
    void noPcallCatchesTheKill() throws Exception {
        String body = "while true do pcall(function() while true do end end) end";
        try (TestServer server = start(dir, 50);
                TestServer.RawClient a = server.raw();
                TestServer.RawClient b = server.raw()) {
            a.command("EVAL", body, "0");
            awaitBusy(b);
            assertThat(b.command("SCRIPT", "KILL").reply()).isEqualTo("+OK\r\n");
            assertThat(a.reply()).startsWith("-ERR Script killed by user with SCRIPT KILL... script: ");
        }
    }

    @Test
    void aWriteWaitingForTheScriptsLocksIsAnsweredBusyAtTheThreshold() throws Exception {
        try (TestServer server = start(dir, 400);
                TestServer.RawClient a = server.raw();
                TestServer.RawClient b = server.raw()) {
            a.command("EVAL", LOOP, "0");
            Thread.sleep(50); // the script holds every stripe lock, and is not yet past the threshold
            long t0 = System.nanoTime();
            assertThat(b.command("SET", "k", "v").reply()).isEqualTo(BUSY);
            assertThat((System.nanoTime() - t0) / 1_000_000)
                    .as("waited for the threshold")
                    .isGreaterThan(200);
            assertThat(b.command("SCRIPT", "KILL").reply()).isEqualTo("+OK\r\n");
            assertThat(a.reply()).startsWith("-ERR Script killed by user with SCRIPT KILL... script: ");
            assertThat(b.command("GET", "k").reply()).isEqualTo("$-1\r\n");
        }
    }

    @Test
    void aScriptThatWroteIsUnkillableAndKeepsItsWrite() throws Exception {
        // Runs for 1.5 s by the server's clock (TIME), then ends by itself.
        String body = "redis.call('set', 'w', '1') local function now() local t = redis.call('time') "
                + "return tonumber(t[1]) * 1000000 + tonumber(t[2]) end local start = now() "
                + "while now() - start < 1500000 do end return 'done'";
        try (TestServer server = start(dir, 50);
                TestServer.RawClient a = server.raw();
                TestServer.RawClient b = server.raw()) {
            a.command("EVAL", body, "0");
            awaitBusy(b);
            assertThat(b.command("SCRIPT", "KILL").reply())
                    .isEqualTo("-UNKILLABLE Sorry the script already executed write commands against the dataset. "
                            + "You can either wait the script termination or kill the server in a hard way using the "
                            + "SHUTDOWN NOSAVE command.\r\n");
            assertThat(a.reply()).isEqualTo("$4\r\ndone\r\n");
            assertThat(b.command("GET", "w").reply()).isEqualTo("$1\r\n1\r\n");
        }
    }
    /**
     * Every connection on one command thread: the script must not hold it, or the second
     * connection's PING and SCRIPT KILL would wait behind the script (as they did when scripts
     * ran on the command thread). The script's own connection answers its pipelined requests in
     * order once the script is done.
     */
    @Test
    void aConnectionSharingTheScriptsCommandThreadIsStillAnswered() throws Exception {
        try (TestServer server = TestServer.start(
                        dir, c -> c.busyReplyThresholdMillis(300).workerThreads(1));
                TestServer.RawClient a = server.raw();
                TestServer.RawClient b = server.raw()) {
            // The Lua state is built by the first script: built now, so that the BUSY awaited below is
            // the loop's, not a slow start of the first EVAL's (SCRIPT KILL would stop that one instead).
            assertThat(b.command("EVAL", "return 1", "0").reply()).isEqualTo(":1\r\n");
            a.send(TestServer.RawClient.encode("SET", "before", "1")
                    + TestServer.RawClient.encode("EVAL", "return redis.call('get', 'before')", "0")
                    + TestServer.RawClient.encode("EVAL", LOOP, "0")
                    + TestServer.RawClient.encode("PING", "after"));
            awaitBusy(b);
            assertThat(b.command("SCRIPT", "KILL").reply()).isEqualTo("+OK\r\n");
            assertThat(a.reply()).isEqualTo("+OK\r\n");
            assertThat(a.reply()).as("the script sees the write before it").isEqualTo("$1\r\n1\r\n");
            assertThat(a.reply()).startsWith("-ERR Script killed by user with SCRIPT KILL... script: ");
            assertThat(a.reply()).isEqualTo("$5\r\nafter\r\n");
        }
    }

    /** The same for a transaction that queued a script: its EXEC runs off the command thread too. */
    @Test
    void anExecRunningAScriptDoesNotHoldTheCommandThread() throws Exception {
        try (TestServer server = TestServer.start(
                        dir, c -> c.busyReplyThresholdMillis(100).workerThreads(1));
                TestServer.RawClient a = server.raw();
                TestServer.RawClient b = server.raw()) {
            assertThat(a.command("MULTI").reply()).isEqualTo("+OK\r\n");
            assertThat(a.command("INCR", "n").reply()).isEqualTo("+QUEUED\r\n");
            assertThat(a.command("EVAL", LOOP, "0").reply()).isEqualTo("+QUEUED\r\n");
            a.command("EXEC");
            awaitBusy(b);
            assertThat(b.command("SCRIPT", "KILL").reply()).isEqualTo("+OK\r\n");
            String exec = a.reply();
            assertThat(exec).startsWith("*2\r\n:1\r\n-ERR Script killed by user with SCRIPT KILL... script: ");
            assertThat(b.command("GET", "n").reply()).isEqualTo("$1\r\n1\r\n");
        }
    }

    /** An EXEC refused BUSY ends its transaction with EXECABORT, as Redis's execCommandAbort: nothing of it runs. */
    @Test
    void anExecRefusedBusyAbortsTheTransaction() throws Exception {
        try (TestServer server = start(dir, 100);
                TestServer.RawClient a = server.raw();
                TestServer.RawClient b = server.raw();
                TestServer.RawClient c = server.raw()) {
            assertThat(b.command("MULTI").reply()).isEqualTo("+OK\r\n");
            assertThat(b.command("INCR", "n").reply()).isEqualTo("+QUEUED\r\n");
            a.command("EVAL", LOOP, "0");
            awaitBusy(c);
            assertThat(b.command("EXEC").reply())
                    .isEqualTo("-EXECABORT Transaction discarded because of: " + Scripts.BUSY + "\r\n");
            assertThat(b.command("SCRIPT", "KILL").reply()).isEqualTo("+OK\r\n");
            assertThat(a.reply()).startsWith("-ERR Script killed by user with SCRIPT KILL... script: ");
            assertThat(b.command("EXEC").reply()).as("no transaction left").isEqualTo("-ERR EXEC without MULTI\r\n");
            assertThat(b.command("GET", "n").reply()).isEqualTo("$-1\r\n");
        }
    }
}
