package io.strata.server;

import static io.strata.server.CommandHarness.NIL;
import static io.strata.server.CommandHarness.OK;
import static io.strata.server.CommandHarness.bulk;
import static io.strata.server.CommandHarness.error;
import static io.strata.server.CommandHarness.integer;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** MULTI, EXEC, DISCARD, WATCH and UNWATCH through the dispatcher, with Redis's replies byte for byte. */
class TransactionsTest extends WithCommandHarness {
    static final String QUEUED = "+QUEUED\r\n";
    static final String EXECABORT = error("EXECABORT Transaction discarded because of previous errors.");
    static final String NULL_ARRAY = "*-1\r\n";

    @Test
    void commandsAreQueuedThenRunInOrderByExec() {
        assertThat(h.run("MULTI")).isEqualTo(OK);
        assertThat(h.run("SET", "a", "1")).isEqualTo(QUEUED);
        assertThat(h.run("INCR", "a")).isEqualTo(QUEUED);
        assertThat(h.run("GET", "a")).isEqualTo(QUEUED);
        assertThat(h.run("GET", "a")).isEqualTo(QUEUED);
        assertThat(h.connect().run("GET", "a")).as("nothing runs before EXEC").isEqualTo(NIL);
        assertThat(h.run("EXEC")).isEqualTo("*4\r\n" + OK + integer(2) + bulk("2") + bulk("2"));
        assertThat(h.run("GET", "a")).isEqualTo(bulk("2"));
        assertThat(h.run("EXEC")).isEqualTo(error("ERR EXEC without MULTI"));
        assertThat(h.run("MULTI")).isEqualTo(OK);
        assertThat(h.run("EXEC")).as("an empty transaction").isEqualTo("*0\r\n");
    }

    @Test
    void blindWritesBeforeMultiAreStoredAndRepliedFirstAndQueuedOnesAreNotGathered() {
        h.send("SET", "x", "1").send("MULTI").send("SET", "x", "2").send("SET", "y", "3");
        assertThat(h.replies()).isEqualTo(OK + OK + QUEUED + QUEUED);
        assertThat(h.stored("x")).isNotNull();
        assertThat(h.stored("y")).isNull();
        h.send("EXEC").send("SET", "z", "4");
        assertThat(h.flush()).isEqualTo("*2\r\n" + OK + OK + OK);
        assertThat(h.run("MGET", "x", "y", "z")).isEqualTo("*3\r\n" + bulk("2") + bulk("3") + bulk("4"));
    }

    @Test
    void readsInsideSeeTheTransactionsOwnWritesAndDeletions() {
        h.run("SET", "k1", "a");
        h.run("SET", "k2", "b");
        h.run("SET", "k4", "d");
        h.run("MULTI");
        h.run("DEL", "k1");
        h.run("SET", "k3", "c");
        h.run("APPEND", "k2", "b");
        h.run("KEYS", "*");
        h.run("DBSIZE");
        h.run("EXISTS", "k1", "k3");
        h.run("SCAN", "0");
        h.run("RENAME", "k4", "k5");
        h.run("GET", "k5");
        assertThat(h.run("EXEC"))
                .isEqualTo("*9\r\n" + integer(1) + OK + integer(2)
                        + "*3\r\n" + bulk("k2") + bulk("k3") + bulk("k4")
                        + integer(3) + integer(1)
                        + "*2\r\n" + bulk("0") + "*3\r\n" + bulk("k2") + bulk("k3") + bulk("k4")
                        + OK + bulk("d"));
        assertThat(h.run("KEYS", "*")).isEqualTo("*3\r\n" + bulk("k2") + bulk("k3") + bulk("k5"));
    }

    @Test
    void anErrorWhileQueuingAbortsExecAndNothingIsApplied() {
        h.run("MULTI");
        assertThat(h.run("SET", "a", "1")).isEqualTo(QUEUED);
        assertThat(h.run("GET")).isEqualTo(error("ERR wrong number of arguments for 'get' command"));
        assertThat(h.run("NOSUCH", "x"))
                .isEqualTo(error("ERR unknown command 'NOSUCH', with args beginning with: 'x' "));
        assertThat(h.run("SET", "b", "2")).isEqualTo(QUEUED);
        assertThat(h.run("EXEC")).isEqualTo(EXECABORT);
        assertThat(h.run("MGET", "a", "b")).isEqualTo("*2\r\n" + NIL + NIL);
        assertThat(h.run("EXEC")).as("the transaction is over").isEqualTo(error("ERR EXEC without MULTI"));
    }

    @Test
    void commandsNotAllowedInATransactionAreRefusedAndAbortIt() {
        h.run("MULTI");
        assertThat(h.run("SAVE")).isEqualTo(error("ERR Command not allowed inside a transaction"));
        assertThat(h.run("SHUTDOWN")).isEqualTo(error("ERR Command not allowed inside a transaction"));
        assertThat(h.run("EXEC")).isEqualTo(EXECABORT);
    }

    @Test
    void runTimeErrorsAreTheirCommandsRepliesAndTheOthersApply() {
        h.run("SET", "s", "abc");
        h.run("MULTI");
        h.run("SET", "a", "1");
        h.run("INCR", "s");
        h.run("INCR", "a");
        h.run("SET", "b", "1", "EX", "0");
        h.run("APPEND", "s", "d");
        assertThat(h.run("EXEC"))
                .isEqualTo("*5\r\n" + OK + error("ERR value is not an integer or out of range") + integer(2)
                        + error("ERR invalid expire time in 'set' command") + integer(4));
        assertThat(h.run("MGET", "a", "s", "b")).isEqualTo("*3\r\n" + bulk("2") + bulk("abcd") + NIL);
    }

    @Test
    void nestedMultiAndWatchInsideMultiAreErrorsThatLeaveTheTransactionGoing() {
        h.run("MULTI");
        assertThat(h.run("MULTI")).isEqualTo(error("ERR MULTI calls can not be nested"));
        assertThat(h.run("WATCH", "a")).isEqualTo(error("ERR WATCH inside MULTI is not allowed"));
        h.run("SET", "a", "1");
        assertThat(h.run("EXEC")).isEqualTo("*1\r\n" + OK);
        assertThat(h.server.keyspace().watches().entries()).isZero();
    }

    @Test
    void discardDropsTheQueueAndTheWatches() {
        assertThat(h.run("DISCARD")).isEqualTo(error("ERR DISCARD without MULTI"));
        h.run("WATCH", "w");
        h.run("MULTI");
        h.run("SET", "a", "1");
        assertThat(h.run("DISCARD")).isEqualTo(OK);
        assertThat(h.run("GET", "a")).isEqualTo(NIL);
        assertThat(h.server.keyspace().watches().entries()).isZero();
        assertThat(h.run("EXEC")).isEqualTo(error("ERR EXEC without MULTI"));
    }

    @Test
    void resetEndsTheTransactionAndForgetsTheWatches() {
        h.run("WATCH", "w");
        h.run("MULTI");
        h.run("SET", "a", "1");
        assertThat(h.run("RESET")).isEqualTo("+RESET\r\n");
        assertThat(h.run("EXEC")).isEqualTo(error("ERR EXEC without MULTI"));
        assertThat(h.run("GET", "a")).isEqualTo(NIL);
        assertThat(h.server.keyspace().watches().entries()).isZero();
    }

    @Test
    void flushallInsideMultiIsAllowedAndJoinsTheTransaction() {
        h.run("SET", "a", "1");
        h.run("SET", "b", "1");
        h.run("MULTI");
        h.run("FLUSHALL");
        h.run("DBSIZE");
        h.run("SET", "c", "1");
        h.run("KEYS", "*");
        assertThat(h.run("EXEC")).isEqualTo("*4\r\n" + OK + integer(0) + OK + "*1\r\n" + bulk("c"));
        assertThat(h.run("KEYS", "*")).isEqualTo("*1\r\n" + bulk("c"));
    }

    @Test
    void aQueueLargerThanTheQueryBufferLimitRefusesTheTransaction() {
        h.close();
        h = CommandHarness.open(dir, CommandHarness.Setup.defaults().with(c -> c.clientQueryBufferLimit(1 << 20)));
        h.run("MULTI");
        assertThat(h.run("SET", "a", "x".repeat(600_000))).isEqualTo(QUEUED);
        assertThat(h.run("SET", "b", "x".repeat(600_000)))
                .isEqualTo(error("ERR Strata: the transaction's queued commands exceed client-query-buffer-limit "
                        + "(1048576 bytes)"));
        assertThat(h.run("SET", "c", "1")).isEqualTo(QUEUED);
        assertThat(h.run("EXEC")).isEqualTo(EXECABORT);
        assertThat(h.run("DBSIZE")).isEqualTo(integer(0));
    }

    // ---- WATCH ----

    @Test
    void aWriteOfAWatchedKeyByAnotherClientAbortsExecEvenWithTheSameValue() {
        h.run("SET", "w", "v");
        assertThat(h.run("WATCH", "w", "other")).isEqualTo(OK);
        assertThat(h.connect().run("SET", "w", "v")).isEqualTo(OK);
        h.run("MULTI");
        h.run("SET", "a", "1");
        assertThat(h.run("EXEC")).isEqualTo(NULL_ARRAY);
        assertThat(h.run("GET", "a")).isEqualTo(NIL);
        assertThat(h.server.keyspace().watches().entries()).isZero();
    }

    @Test
    void theAbortIsAResp3NullInResp3() {
        h.run("HELLO", "3");
        h.run("WATCH", "w");
        assertThat(h.connect().run("DEL", "w", "x")).isEqualTo(integer(0)); // deletes nothing: no change
        h.run("MULTI");
        h.run("SET", "a", "1");
        assertThat(h.run("EXEC"))
                .as("an absent key's no-op deletion changes nothing")
                .isEqualTo("*1\r\n" + OK);
        h.run("WATCH", "w");
        h.connect().run("INCR", "w");
        h.run("MULTI");
        h.run("SET", "a", "2");
        assertThat(h.run("EXEC")).isEqualTo("_\r\n");
        assertThat(h.run("GET", "a")).isEqualTo(bulk("1"));
    }

    @Test
    void unchangedWatchedKeysLetExecRunAndUnwatchForgetsThem() {
        h.run("SET", "w", "v");
        h.run("WATCH", "w");
        h.connect().run("SET", "unrelated", "v");
        h.run("MULTI");
        h.run("SET", "w", "mine");
        assertThat(h.run("EXEC")).isEqualTo("*1\r\n" + OK);
        h.run("WATCH", "w");
        assertThat(h.run("UNWATCH")).isEqualTo(OK);
        h.connect().run("SET", "w", "theirs");
        h.run("MULTI");
        h.run("GET", "w");
        assertThat(h.run("EXEC")).isEqualTo("*1\r\n" + bulk("theirs"));
    }

    @Test
    void theClientsOwnWriteBeforeMultiAbortsToo() {
        h.run("WATCH", "w");
        h.run("SET", "w", "1");
        h.run("MULTI");
        h.run("SET", "a", "1");
        assertThat(h.run("EXEC")).isEqualTo(NULL_ARRAY);
    }

    @Test
    void gatheredBlindWritesAndAnotherClientsExecTouchWatchers() {
        h.run("WATCH", "w");
        CommandHarness.Connection other = h.connect();
        other.send("SET", "x", "1").send("SET", "w", "1");
        assertThat(other.flush()).isEqualTo(OK + OK);
        h.run("MULTI");
        h.run("SET", "a", "1");
        assertThat(h.run("EXEC")).isEqualTo(NULL_ARRAY);

        h.run("WATCH", "w");
        other.run("MULTI");
        other.run("INCR", "w");
        assertThat(other.run("EXEC")).isEqualTo("*1\r\n" + integer(2));
        h.run("MULTI");
        h.run("SET", "a", "1");
        assertThat(h.run("EXEC")).isEqualTo(NULL_ARRAY);
    }

    @Test
    void anExpiryPassingBetweenWatchAndExecAborts() {
        h.run("SET", "w", "v", "PX", "100");
        h.run("SET", "gone", "v", "PX", "10");
        h.now.addAndGet(50);
        h.run("WATCH", "w", "gone"); // gone has expired already: its expiry is no change
        h.run("MULTI");
        h.run("SET", "a", "1");
        assertThat(h.run("EXEC")).as("nothing expired since the WATCH").isEqualTo("*1\r\n" + OK);

        h.run("WATCH", "w");
        h.now.addAndGet(100);
        h.run("MULTI");
        h.run("SET", "a", "2");
        assertThat(h.run("EXEC")).isEqualTo(NULL_ARRAY);
        assertThat(h.run("GET", "a")).isEqualTo(bulk("1"));
    }

    @Test
    void deletingAnExpiredWatchedKeyIsNoChangeButWritingItIs() {
        h.run("SET", "w", "v", "PX", "10");
        h.now.addAndGet(50);
        h.run("WATCH", "w");
        assertThat(h.connect().run("DEL", "w")).as("removes the expired value").isEqualTo(integer(0));
        assertThat(h.stored("w")).isNull();
        h.run("MULTI");
        h.run("SET", "a", "1");
        assertThat(h.run("EXEC")).isEqualTo("*1\r\n" + OK);

        h.run("WATCH", "w");
        h.connect().run("SET", "w", "again");
        h.run("MULTI");
        h.run("SET", "a", "2");
        assertThat(h.run("EXEC")).isEqualTo(NULL_ARRAY);
    }

    @Test
    void flushdbAbortsWatchersOfExistingKeysOnly() {
        h.run("SET", "w", "v");
        CommandHarness.Connection absent = h.connect();
        absent.run("WATCH", "nothing-here");
        h.run("WATCH", "w");
        h.connect().run("FLUSHDB");
        h.run("MULTI");
        h.run("SET", "a", "1");
        assertThat(h.run("EXEC")).isEqualTo(NULL_ARRAY);
        absent.run("MULTI");
        absent.run("SET", "b", "1");
        assertThat(absent.run("EXEC")).isEqualTo("*1\r\n" + OK);
    }

    @Test
    void watchesAreLetGoOnExecDiscardUnwatchAndDisconnection() {
        h.run("WATCH", "a", "b", "a");
        assertThat(h.server.keyspace().watches().entries()).isEqualTo(2);
        h.run("MULTI");
        h.run("EXEC");
        assertThat(h.server.keyspace().watches().entries()).isZero();
        CommandHarness.Connection other = h.connect();
        other.run("WATCH", "a", "c");
        h.run("WATCH", "a");
        assertThat(h.server.keyspace().watches().entries()).isEqualTo(3);
        h.run("UNWATCH");
        other.disconnect();
        assertThat(h.server.keyspace().watches().entries()).isZero();
    }
}
