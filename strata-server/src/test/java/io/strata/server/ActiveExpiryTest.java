package io.strata.server;

import static io.strata.server.CommandHarness.NIL;
import static io.strata.server.CommandHarness.OK;
import static io.strata.server.CommandHarness.START;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.server.store.ValueCodec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The active expiry's rounds, run by hand on the harness's clock: what is deleted when, which
 * {@code expired} events are published, and that a write since a key was noted wins.
 */
class ActiveExpiryTest extends WithCommandHarness {
    private CommandHarness.Connection sub;
    private ActiveExpiry expiry;

    @BeforeEach
    void subscribe() {
        h.run("CONFIG", "SET", "notify-keyspace-events", "Ex");
        sub = h.connect();
        sub.run("SUBSCRIBE", "__keyevent@0__:expired");
        sub.replies();
        expiry = new ActiveExpiry(h.server);
        expiry.run(); // the first round sweeps the (empty) keyspace
    }

    /** The keys of the expired events delivered since the last call. */
    private List<String> expired() {
        List<String> keys = new ArrayList<>();
        String[] lines = sub.replies().split("\r\n", -1);
        for (int i = 0; i + 6 < lines.length; i++) {
            if (lines[i].equals("*3") && lines[i + 2].equals("message")) {
                keys.add(lines[i + 6]);
                i += 6;
            }
        }
        return keys;
    }

    private boolean stored(String key) {
        return h.db.get(b(key)) != null;
    }

    private void at(long millisAfterStart) {
        h.now.set(START + millisAfterStart);
    }

    @Test
    void deletesAKeyOnceItsExpiryPassesAndPublishesExpired() {
        h.run("SET", "k", "v", "PX", "100");
        h.run("SET", "p", "v");
        at(99);
        expiry.run();
        assertThat(expired()).isEmpty();
        assertThat(stored("k")).isTrue();
        at(100);
        expiry.run();
        assertThat(expired()).containsExactly("k");
        assertThat(stored("k")).as("deleted from the store, not only hidden").isFalse();
        assertThat(stored("p")).isTrue();
        assertThat(h.run("INFO", "stats")).contains("expired_keys:1\r\n");
        expiry.run();
        assertThat(expired()).as("once").isEmpty();
    }

    @Test
    void aWriteAfterTheKeyWasNotedWins() {
        h.run("SET", "k", "v", "PX", "100");
        h.run("PEXPIRE", "k", "10000");
        h.run("SET", "j", "v", "PX", "100");
        h.run("PERSIST", "j");
        h.run("SET", "m", "v", "PX", "100");
        h.run("SET", "m", "w");
        at(5000);
        expiry.run();
        assertThat(expired()).isEmpty();
        assertThat(stored("k") && stored("j") && stored("m")).isTrue();
        at(10_000);
        expiry.run();
        assertThat(expired()).containsExactly("k");
        assertThat(h.run("GET", "j")).isEqualTo(CommandHarness.bulk("v"));
    }

    @Test
    void theStoreDecidesNotTheIndex() {
        h.run("SET", "k", "v", "PX", "100");
        h.run("SET", "j", "v", "PX", "100");
        // Writes the index did not see (a write that failed after it was noted, blind writes of
        // one key noted in another order than they were stored): k has no expiry now, j a later one.
        h.db.put(b("k"), ValueCodec.encode(b("w"), 0));
        h.db.put(b("j"), ValueCodec.encode(b("w"), START + 1000));
        at(200);
        expiry.run();
        assertThat(expired()).isEmpty();
        assertThat(h.run("GET", "k")).isEqualTo(CommandHarness.bulk("w"));
        at(1000);
        expiry.run();
        assertThat(expired()).as("noted again with the time the store holds").containsExactly("j");
    }

    @Test
    void theFirstRoundSweepsKeysNoCommandWrote() {
        // As after a restart: values with expiries the index never saw.
        h.db.put(b("old"), ValueCodec.encode(b("v"), START + 10));
        h.db.put(b("later"), ValueCodec.encode(b("v"), START + 1000));
        h.db.put(b("never"), ValueCodec.encode(b("v"), 0));
        at(500);
        ActiveExpiry afterRestart = new ActiveExpiry(h.server);
        afterRestart.run();
        assertThat(expired()).containsExactly("old");
        assertThat(stored("later")).isTrue();
        at(1000);
        afterRestart.run();
        assertThat(expired())
                .as("noted by the sweep, taken from the index when due")
                .containsExactly("later");
        assertThat(stored("never")).isTrue();
    }

    @Test
    void aReadThatFindsAnExpiredValueHandsItOver() {
        h.db.put(b("k"), ValueCodec.encode(b("v"), START + 10)); // not in the index; the sweep is over
        at(20);
        expiry.run();
        assertThat(stored("k")).isTrue();
        assertThat(h.run("GET", "k")).isEqualTo(NIL);
        expiry.run();
        assertThat(expired()).containsExactly("k");
        assertThat(stored("k")).isFalse();
    }

    @Test
    void delOfAnExpiredKeyPublishesExpiredAndCountsNothing() {
        h.run("SET", "k", "v", "PX", "10");
        at(20);
        assertThat(h.run("DEL", "k")).isEqualTo(CommandHarness.integer(0));
        assertThat(expired()).containsExactly("k");
        assertThat(h.run("INFO", "stats")).contains("expired_keys:1\r\n");
    }

    /** A store that refuses the deletion: the round fails quietly, and a later start's sweep deletes the key. */
    @Test
    void aFailedDeletionIsLeftToTheNextStartsSweep() {
        h.close();
        TornWalFileSystem fs = new TornWalFileSystem();
        try (CommandHarness torn = CommandHarness.open(
                dir, CommandHarness.Setup.defaults().withEngine(o -> o.fileSystem(fs.fileSystem())))) {
            torn.run("SET", "k", "v", "PX", "10");
            torn.now.set(START + 20);
            ActiveExpiry failing = new ActiveExpiry(torn.server);
            fs.tearNextAppend();
            failing.run(); // throws nothing: logged once, and the rounds pause
            failing.run();
            assertThat(fs.torn()).isTrue();
            assertThat(torn.run("GET", "k")).isEqualTo(NIL);
        }
        h = CommandHarness.open(dir);
        assertThat(stored("k")).as("the deletion was not stored").isTrue();
        h.now.set(START + 20);
        new ActiveExpiry(h.server).run();
        assertThat(stored("k")).as("found by the sweep").isFalse();
    }

    @Test
    void anExpiryAbortsTheTransactionsThatWatchTheKey() {
        h.run("SET", "k", "v", "PX", "100");
        h.run("WATCH", "k");
        at(200);
        expiry.run();
        h.run("MULTI");
        h.run("SET", "x", "1");
        assertThat(h.run("EXEC")).isEqualTo("*-1\r\n");
        assertThat(h.run("SET", "y", "1")).isEqualTo(OK);
    }
}
