package io.strata.stress;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.StrataDb;
import io.strata.WriteBatch;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The stress tool against stores changed behind its back: each change is one a store could
 * wrongly make (a lost write, a wrong or corrupt value, half a batch), and each must fail the
 * verification with a message naming the key, what was expected and what was found. Every
 * test first runs a short seeded stress run over a small key space, so the expected state
 * holds puts, deletes and batches.
 */
class StressCommandTest {
    private static final int KEYS = 300;
    private static final long SEED = 20240501L;
    private static final ValueFormat FORMAT = new ValueFormat(16, 256);

    @TempDir
    Path tmp;

    Path db;
    Path expected;

    record Result(int exitCode, String out, String err) {}

    @BeforeEach
    void shortRun() {
        db = tmp.resolve("db");
        expected = tmp.resolve("expected");
        Result r = stress("--ops", 3000, "--threads", 3, "--seed", SEED);
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out())
                .contains("seed " + SEED)
                .contains("after a clean reopen: verified 300 keys")
                .contains("flushes=");
    }

    @Test
    void anUntouchedStorePasses() {
        Result r = stress("--verify-only");
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("at open: verified 300 keys").contains("; OK");
    }

    @Test
    void aValueOfAnotherVersionFails() throws Exception {
        int key = presentKey();
        int version = acked(key).version();
        try (StrataDb store = StrataDb.open(db)) {
            store.put(KeySpace.key(key), FORMAT.value(key, version + 3));
        }
        assertFails(
                "key " + name(key) + ": expected version " + version,
                "found version " + (version + 3) + " (a state no acknowledged write made)");
    }

    @Test
    void aLostAcknowledgedWriteFails() throws Exception {
        int key = presentKey();
        int version = acked(key).version();
        try (StrataDb store = StrataDb.open(db)) {
            store.delete(KeySpace.key(key));
        }
        assertFails(
                "key " + name(key) + ": expected version " + version, "found absent (an acknowledged write was lost)");
    }

    @Test
    void aCorruptValueFails() throws Exception {
        int key = presentKey();
        int version = acked(key).version();
        byte[] value = FORMAT.value(key, version);
        value[value.length - 1] ^= 1;
        try (StrataDb store = StrataDb.open(db)) {
            store.put(KeySpace.key(key), value);
        }
        assertFails(
                "key " + name(key) + ": expected version " + version,
                "found a corrupt value: value of version " + version + " differs at byte " + (value.length - 1));
    }

    @Test
    void aKeyTheTestNeverWritesFails() {
        try (StrataDb store = StrataDb.open(db)) {
            store.put("key0000000x".getBytes(StandardCharsets.US_ASCII), new byte[10]);
        }
        assertFails("the store holds a key the test never writes: 0x6b65793030303030303078");
    }

    /** The kill left a batch of two keys in flight and the store holds one of its writes. */
    @Test
    void aBatchAppliedInPartFails() throws Exception {
        int[] keys = presentKeys(2);
        KeyState[] next = recordInFlight(keys, 77);
        try (StrataDb store = StrataDb.open(db)) {
            store.put(KeySpace.key(keys[0]), FORMAT.value(keys[0], next[0].version()));
        }
        assertFails("the write batch with sequence 77 was applied in part: keys [" + name(keys[0]) + "] hold its "
                + "writes, keys [" + name(keys[1]) + "] do not");
    }

    /**
     * The kill came while a batch's acknowledgement was being recorded (one key records it
     * acknowledged, one still in flight): the other key must hold the write too.
     */
    @Test
    void anAcknowledgedBatchMissingOnOneKeyFails() throws Exception {
        int[] keys = presentKeys(2);
        KeyState[] next = recordInFlight(keys, 78);
        try (ExpectedState state = ExpectedState.open(expected, KEYS, FORMAT)) {
            state.setAcked(keys[0], next[0]);
        }
        try (StrataDb store = StrataDb.open(db)) {
            store.put(KeySpace.key(keys[0]), FORMAT.value(keys[0], next[0].version()));
        }
        assertFails("the write batch with sequence 78 was acknowledged, yet keys [" + name(keys[1])
                + "] do not hold its writes");
    }

    /** Writes in flight at a kill pass either way, and the verification settles them. */
    @Test
    void writesInFlightPassAppliedOrNotAndAreSettled() throws Exception {
        int[] keys = presentKeys(2);
        recordInFlight(keys, 79);
        Result r = stress("--verify-only");
        assertThat(r.exitCode()).as(r.out()).isZero();
        assertThat(r.out()).contains("0 applied, 2 not applied");

        KeyState[] next = recordInFlight(keys, 80);
        try (StrataDb store = StrataDb.open(db)) {
            store.write(new WriteBatch()
                    .put(KeySpace.key(keys[0]), FORMAT.value(keys[0], next[0].version()))
                    .put(KeySpace.key(keys[1]), FORMAT.value(keys[1], next[1].version())));
        }
        r = stress("--verify-only");
        assertThat(r.exitCode()).as(r.out()).isZero();
        assertThat(r.out()).contains("2 applied, 0 not applied");
        assertThat(acked(keys[0])).isEqualTo(next[0]);
        r = stress("--verify-only");
        assertThat(r.out()).contains("0 applied, 0 not applied");
    }

    @Test
    void badOptionsAreUsageErrors() {
        Result r = stress("--verify-only", "--keys", KEYS + 1);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("was made with --keys 300 --value-size 16,256");
        r = stress("--op-mix", "get=50,put=40");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--op-mix percentages must add up to 100, not 90");
        r = stress("--verify-only", "--expected-state", tmp.resolve("none"));
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("no expected-state file");
    }

    private void assertFails(String... expectedInReport) {
        Result r = stress("--verify-only");
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).contains("MISMATCHES").contains(expectedInReport);
    }

    /** Records a write batch of a put on each key as in flight, as a kill before its acknowledgement leaves it. */
    private KeyState[] recordInFlight(int[] keys, long seq) throws Exception {
        KeyState[] next = new KeyState[keys.length];
        try (ExpectedState state = ExpectedState.open(expected, KEYS, FORMAT)) {
            for (int i = 0; i < keys.length; i++) {
                next[i] = state.acked(keys[i]).next(true);
                state.setPending(keys[i], seq, next[i]);
            }
        }
        return next;
    }

    private KeyState acked(int key) throws Exception {
        try (ExpectedState state = ExpectedState.open(expected, KEYS, FORMAT)) {
            return state.acked(key);
        }
    }

    private int presentKey() throws Exception {
        return presentKeys(1)[0];
    }

    private int[] presentKeys(int n) throws Exception {
        try (ExpectedState state = ExpectedState.open(expected, KEYS, FORMAT)) {
            int[] keys = IntStream.range(0, KEYS)
                    .filter(k -> state.acked(k).present())
                    .limit(n)
                    .toArray();
            assertThat(keys).hasSize(n);
            return keys;
        }
    }

    private static String name(int key) {
        return KeySpace.describe(KeySpace.key(key));
    }

    private Result stress(Object... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // Options given again override the defaults this helper puts first.
        CommandLine cl = new CommandLine(new StressCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOverwrittenOptionsAllowed(true);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] argv = Stream.concat(
                        Stream.of("--db", db, "--expected-state", expected, "--keys", KEYS, "--value-size", "16,256"),
                        Stream.of(args))
                .map(String::valueOf)
                .toArray(String[]::new);
        int code = cl.execute(argv);
        return new Result(code, out.toString(), err.toString());
    }
}
