package io.strata.server;

import static io.strata.server.CommandHarness.NIL;
import static io.strata.server.CommandHarness.OK;
import static io.strata.server.CommandHarness.bulk;
import static io.strata.server.CommandHarness.integer;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * EXEC's writes are one engine batch: when the write-ahead log tears under it, EXEC answers the
 * error, not replies claiming writes, and after a reopen the store holds all of them or none.
 */
class TransactionAtomicityTest {
    @TempDir
    Path dir;

    private static final String[] KEYS = {"a", "b", "c", "d"};

    /** A transaction of four commands, each writing its own key. */
    private static String exec(CommandHarness h) {
        h.run("MULTI");
        h.run("SET", "a", "1");
        h.run("INCR", "b");
        h.run("APPEND", "c", "x");
        h.run("SET", "d", "4");
        return h.run("EXEC");
    }

    @Test
    void aTornWriteOfTheBatchLeavesNoneOfTheTransactionsWrites() {
        TornWalFileSystem fs = new TornWalFileSystem();
        try (CommandHarness h = CommandHarness.open(
                dir, CommandHarness.Setup.defaults().withEngine(o -> o.fileSystem(fs.fileSystem())))) {
            assertThat(h.run("SET", "before", "v")).isEqualTo(OK);
            fs.tearNextAppend();
            String reply = exec(h);
            assertThat(fs.torn()).isTrue();
            assertThat(reply).startsWith("-ERR ").contains("write-ahead log");
            for (String k : KEYS) {
                assertThat(h.run("GET", k)).as(k).isEqualTo(NIL);
            }
        }
        try (CommandHarness h = CommandHarness.open(dir)) {
            assertThat(h.run("GET", "before")).isEqualTo(bulk("v"));
            for (String k : KEYS) {
                assertThat(h.run("GET", k)).as("after reopening: " + k).isEqualTo(NIL);
            }
        }
    }

    @Test
    void anUntornTransactionIsAllThereAfterReopening() {
        try (CommandHarness h = CommandHarness.open(dir)) {
            assertThat(exec(h)).isEqualTo("*4\r\n" + OK + integer(1) + integer(1) + OK);
        }
        try (CommandHarness h = CommandHarness.open(dir)) {
            assertThat(h.run("MGET", "a", "b", "c", "d"))
                    .isEqualTo("*4\r\n" + bulk("1") + bulk("1") + bulk("x") + bulk("4"));
        }
    }
}
