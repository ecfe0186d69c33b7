package io.strata.testkit.linearizability;

import static io.strata.testkit.linearizability.Command.del;
import static io.strata.testkit.linearizability.Command.get;
import static io.strata.testkit.linearizability.Command.incr;
import static io.strata.testkit.linearizability.Command.set;
import static io.strata.testkit.linearizability.ScriptedHistory.NEVER;
import static io.strata.testkit.linearizability.ScriptedHistory.error;
import static io.strata.testkit.linearizability.ScriptedHistory.fail;
import static io.strata.testkit.linearizability.ScriptedHistory.ok;
import static io.strata.testkit.linearizability.ScriptedHistory.unknown;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Small histories, with times in microseconds, that are linearizable or not for a reason each names. */
class LinearizabilityCheckerTest {
    private static CheckResult check(ScriptedHistory script) {
        return LinearizabilityChecker.check(script.toHistory(), Duration.ofSeconds(10));
    }

    private static void assertLinearizable(ScriptedHistory script) {
        CheckResult result = check(script);
        assertThat(result.linearizable()).as(result.description()).isTrue();
    }

    /** Asserts a violation, reported on {@code key} and naming every op in {@code stuck} (as "#id client"). */
    private static void assertViolation(ScriptedHistory script, String key, String... stuck) {
        CheckResult result = check(script);
        assertThat(result.verdict()).as(result.description()).isEqualTo(CheckResult.Verdict.VIOLATION);
        assertThat(result.description()).contains("key \"" + key + "\" is not linearizable");
        assertThat(result.description()).contains(stuck);
    }

    @Nested
    class Linearizable {
        @Test
        void anEmptyHistory() {
            assertLinearizable(new ScriptedHistory());
        }

        @Test
        void sequentialOpsOfEveryKind() {
            assertLinearizable(new ScriptedHistory()
                    .op(1, get("k"), 0, 1, ok((String) null))
                    .op(1, del("k"), 2, 3, ok(0))
                    .op(1, set("k", "a"), 4, 5, ok("OK"))
                    .op(1, get("k"), 6, 7, ok("a"))
                    .op(1, incr("k"), 8, 9, error("ERR value is not an integer or out of range"))
                    .op(1, del("k"), 10, 11, ok(1))
                    .op(1, incr("k"), 12, 13, ok(1))
                    .op(1, incr("k"), 14, 15, ok(2))
                    .op(1, get("k"), 16, 17, ok("2"))
                    .op(1, set("k", "41"), 18, 19, ok("OK"))
                    .op(1, incr("k"), 20, 21, ok(42)));
        }

        @Test
        void overlappingOpsThatOnlyOneOrderExplains() {
            // The read inside both writes sees a, the one after both sees b: a, read, b is the only order.
            assertLinearizable(new ScriptedHistory()
                    .op(1, set("k", "b"), 0, 50, ok("OK"))
                    .op(2, set("k", "a"), 0, 50, ok("OK"))
                    .op(3, get("k"), 10, 40, ok("a"))
                    .op(3, get("k"), 60, 70, ok("b"))
                    // Concurrent increments, the one invoked first replying 2.
                    .op(1, incr("n"), 0, 10, ok(2))
                    .op(2, incr("n"), 1, 10, ok(1)));
        }

        @Test
        void aWriteWithoutReplyThatTookEffectAfterItsClientGaveUp() {
            assertLinearizable(new ScriptedHistory()
                    .op(1, set("k", "a"), 0, 10, unknown())
                    .op(2, get("k"), 20, 30, ok((String) null))
                    .op(2, get("k"), 100, 110, ok("a"))
                    .op(3, set("j", "x"), 0, NEVER, ok("never called"))
                    .op(2, get("j"), 200, 210, ok("x")));
        }

        @Test
        void writesWithoutReplyThatNeverTookEffect() {
            assertLinearizable(new ScriptedHistory()
                    .op(1, set("k", "a"), 0, 10, unknown())
                    .op(1, del("k"), 20, 30, unknown())
                    .op(2, set("k", "b"), 40, 50, ok("OK"))
                    .op(3, get("k"), 100, 110, ok("b"))
                    .op(3, get("k"), 200, 210, ok("b")));
        }

        @Test
        void incrementsWithoutReplyTakingEffectOrNot() {
            // Of three unknown increments, one took effect before the reply 2 and one more before 4.
            assertLinearizable(new ScriptedHistory()
                    .op(1, incr("n"), 0, 10, unknown())
                    .op(2, incr("n"), 5, 10, unknown())
                    .op(3, incr("n"), 6, 10, unknown())
                    .op(4, incr("n"), 20, 30, ok(2))
                    .op(4, incr("n"), 40, 50, ok(4))
                    .op(4, get("n"), 60, 70, ok("4")));
        }

        @Test
        void failedOpsAndReadsWithoutReplyAreDropped() {
            assertLinearizable(new ScriptedHistory()
                    .op(1, set("k", "a"), 0, 10, fail())
                    .op(2, get("k"), 0, 10, unknown())
                    .op(2, get("k"), 20, 30, fail())
                    .op(3, get("k"), 40, 50, ok((String) null)));
        }
    }

    @Nested
    class NotLinearizable {
        @Test
        void aStaleRead() {
            assertViolation(
                    new ScriptedHistory()
                            .op(1, set("k", "a"), 0, 10, ok("OK"))
                            .op(1, set("k", "b"), 20, 30, ok("OK"))
                            .op(2, get("k"), 40, 50, ok("a")),
                    "k",
                    "#2 client 2 GET k -> \"a\" [0.040 ms .. 0.050 ms]");
        }

        @Test
        void aLostIncrement() {
            assertViolation(
                    new ScriptedHistory().op(1, incr("n"), 0, 10, ok(1)).op(2, incr("n"), 5, 15, ok(1)),
                    "n",
                    "#1 client 2 INCR n -> 1");
        }

        @Test
        void aReadOfAValueNeverWritten() {
            assertViolation(
                    new ScriptedHistory().op(1, set("k", "a"), 0, 10, ok("OK")).op(2, get("k"), 5, 15, ok("z")),
                    "k",
                    "#1 client 2 GET k -> \"z\"");
        }

        @Test
        void aDeleteThatRemovedAnAbsentKey() {
            assertViolation(new ScriptedHistory().op(1, del("k"), 0, 10, ok(1)), "k", "#0 client 1 DEL k -> 1");
        }

        @Test
        void aReadThatMissesAWriteAnEarlierReadSaw() {
            assertViolation(
                    new ScriptedHistory()
                            .op(1, set("k", "a"), 0, 100, ok("OK"))
                            .op(2, get("k"), 10, 20, ok("a"))
                            .op(3, get("k"), 30, 40, ok((String) null)),
                    "k",
                    "#2 client 3 GET k -> null");
        }

        @Test
        void aWriteWithoutReplySeenBeforeItWasInvoked() {
            assertViolation(
                    new ScriptedHistory().op(2, get("k"), 0, 10, ok("a")).op(1, set("k", "a"), 20, 30, unknown()),
                    "k",
                    "#0 client 2 GET k -> \"a\"");
        }

        @Test
        void aFailedWriteSeen() {
            assertViolation(
                    new ScriptedHistory().op(1, set("k", "a"), 0, 10, fail()).op(2, get("k"), 20, 30, ok("a")),
                    "k",
                    "#1 client 2 GET k");
        }

        @Test
        void anIncrementErrorOnAnInteger() {
            assertViolation(
                    new ScriptedHistory()
                            .op(1, set("n", "7"), 0, 10, ok("OK"))
                            .op(1, incr("n"), 20, 30, error("ERR value is not an integer or out of range")),
                    "n",
                    "#1 client 1 INCR n -> error");
        }

        @Test
        void twoIncrementsWithoutReplySeenAsThree() {
            assertViolation(
                    new ScriptedHistory()
                            .op(1, incr("n"), 0, 10, unknown())
                            .op(2, incr("n"), 0, 10, unknown())
                            .op(3, get("n"), 20, 30, ok("3")),
                    "n",
                    "GET n -> \"3\"");
        }

        @Test
        void onlyTheBrokenKeyIsReported() {
            assertViolation(
                    new ScriptedHistory()
                            .op(1, set("a", "1"), 0, 10, ok("OK"))
                            .op(1, get("a"), 20, 30, ok("1"))
                            .op(2, set("b", "1"), 0, 10, ok("OK"))
                            .op(2, get("b"), 20, 30, ok("2")),
                    "b",
                    "#3 client 2 GET b -> \"2\"");
        }
    }
}
