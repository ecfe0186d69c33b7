package io.strata.server;

import static io.strata.server.CommandHarness.NIL;
import static io.strata.server.CommandHarness.OK;
import static io.strata.server.CommandHarness.bulk;
import static io.strata.server.CommandHarness.error;
import static io.strata.server.CommandHarness.integer;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Blind writes through the connection's write batcher ({@link CommandHarness}, no socket):
 * gathered without replies, committed by the next other command or the end of the input, and
 * stored exactly as when each is stored on its own.
 */
class WriteBatchingTest {
    static final String JSON_REJECTED = error("ERR write rejected by filter 'json': value is not valid JSON");

    @TempDir
    Path gathered;

    @TempDir
    Path alone;

    /** Blind writes of every batchable command, with and without expiry, one already expired. */
    static final List<String[]> BLIND_WRITES = List.of(
            new String[] {"SET", "a", "1"},
            new String[] {"SET", "b", "2", "EX", "100"},
            new String[] {"SET", "c", "3", "PXAT", Long.toString(CommandHarness.START + 5)},
            new String[] {"SET", "d", "4", "PXAT", Long.toString(CommandHarness.START)}, // already expired
            new String[] {"SETEX", "e", "10", "5"},
            new String[] {"PSETEX", "f", "1500", "6"},
            new String[] {"MSET", "g", "7", "a", "8", "h", "9"});

    static final List<String> KEYS = List.of("a", "b", "c", "d", "e", "f", "g", "h");

    @Test
    void blindWritesWaitInTheBatchUntilAReadCommitsThem() {
        try (CommandHarness h = CommandHarness.open(gathered)) {
            h.run("SET", "d", "old");
            BLIND_WRITES.forEach(h::send);
            assertThat(h.replies()).isEmpty(); // nothing replied yet ...
            assertThat(h.stored("a")).isNull(); // ... nor stored
            assertThat(h.stored("d")).isNotNull();
            h.send("MGET", "a", "d", "h");
            assertThat(h.replies()).isEqualTo(OK.repeat(BLIND_WRITES.size()) + "*3\r\n" + bulk("8") + NIL + bulk("9"));
            assertThat(h.stored("d")).isNull();
            assertThat(h.server.stats().writeBatches.sum()).isEqualTo(2); // the SET of "d", then the seven
            assertThat(h.server.stats().batchedWrites.sum()).isEqualTo(1 + BLIND_WRITES.size());
        }
    }

    @Test
    void gatheredWritesStoreTheBytesOfWritesStoredAlone() {
        try (CommandHarness h = CommandHarness.open(gathered);
                CommandHarness single = CommandHarness.open(
                        alone, CommandHarness.Setup.defaults().ungathered())) {
            for (String[] w : BLIND_WRITES) {
                h.send(w);
                assertThat(single.send(w).replies()).as(String.join(" ", w)).isEqualTo(OK); // replied at once
            }
            assertThat(h.flush()).isEqualTo(OK.repeat(BLIND_WRITES.size()));
            for (String key : KEYS) {
                assertThat(h.stored(key)).as(key).isEqualTo(single.stored(key));
            }
            assertThat(h.stored("b")).isNotNull();
            assertThat(single.server.stats().writeBatches.sum()).isZero();
        }
    }

    @Test
    void aFormThatReadsCommitsTheBatchFirst() {
        try (CommandHarness h = CommandHarness.open(gathered)) {
            h.send("SET", "k", "a").send("SET", "k", "b", "NX").send("SET", "k", "c", "GET");
            h.send("SET", "k", "d");
            assertThat(h.replies()).isEqualTo(OK + NIL + bulk("a")); // SET k d waits
            assertThat(h.flush()).isEqualTo(OK);
            assertThat(h.run("GET", "k")).isEqualTo(bulk("d"));
        }
    }

    @Test
    void anErrorIsRepliedAfterTheWritesBeforeIt() {
        try (CommandHarness h = CommandHarness.open(gathered)) {
            h.send("SET", "a", "1").send("SET", "b").send("SET", "c", "3", "EX", "0");
            h.send("MSET", "d", "4", "e").send("NOSUCH", "x").send("SET", "f", "6");
            assertThat(h.replies())
                    .isEqualTo(OK
                            + error("ERR wrong number of arguments for 'set' command")
                            + error("ERR invalid expire time in 'set' command")
                            + error("ERR wrong number of arguments for 'mset' command")
                            + error("ERR unknown command 'NOSUCH', with args beginning with: 'x' "));
            assertThat(h.flush()).isEqualTo(OK);
            assertThat(h.run("EXISTS", "a", "b", "c", "d", "e", "f")).isEqualTo(integer(2));
        }
    }

    @Test
    void aFullBatchCommitsWithoutWaitingForTheInput() {
        try (CommandHarness h = CommandHarness.open(gathered)) {
            for (int i = 0; i < WriteBatcher.MAX_COMMANDS + 3; i++) {
                h.send("SET", "k" + i, "v");
            }
            assertThat(h.replies()).isEqualTo(OK.repeat(WriteBatcher.MAX_COMMANDS));
            assertThat(h.flush()).isEqualTo(OK.repeat(3));
            assertThat(h.server.stats().writeBatches.sum()).isEqualTo(2);
        }
    }

    /** The filters' rewrites and rejections, the same gathered and alone. */
    private static void filtered(CommandHarness h) {
        h.send("SET", "doc:a", "{\"user\":\"ada\",\"password\":\"x\"}");
        h.send("SET", "doc:b", "broken");
        h.send("SETEX", "tag:t", "100", "hello");
        h.send("MSET", "doc:c", "{}", "doc:d", "{");
        h.send("MSET", "plain", "1", "tag:u", "forbidden word");
        h.send("PSETEX", "doc:e", "100", "[1]");
        assertThat(h.flush())
                .isEqualTo(OK
                        + JSON_REJECTED
                        + OK
                        + JSON_REJECTED
                        + error("ERR write rejected by filter 'tag': the value contains a forbidden word")
                        + OK);
        assertThat(h.run("GET", "doc:a")).isEqualTo(bulk("{\"user\":\"ada\",\"password\":\"[REDACTED]\"}"));
        assertThat(h.run("GET", "tag:t")).isEqualTo(bulk("hello!"));
        assertThat(h.run("EXISTS", "doc:b", "doc:c", "doc:d", "plain", "tag:u")).isEqualTo(integer(0));
        assertThat(h.run("GET", "doc:e")).isEqualTo(bulk("[1]"));
    }

    @Test
    void writeFiltersRewriteAndRejectGatheredWrites() {
        try (CommandHarness h =
                CommandHarness.open(gathered, CommandHarness.Setup.defaults().withFilters())) {
            filtered(h);
            assertThat(h.server.stats().writeBatches.sum()).isEqualTo(3); // each rejection ends a batch
        }
    }

    @Test
    void writeFiltersRewriteAndRejectWritesStoredAlone() {
        try (CommandHarness h = CommandHarness.open(
                alone, CommandHarness.Setup.defaults().withFilters().ungathered())) {
            filtered(h);
            assertThat(h.server.stats().writeBatches.sum()).isZero();
        }
    }

    @Test
    void anExpiredWriteIsADeleteThatNoFilterSees() {
        try (CommandHarness h =
                CommandHarness.open(gathered, CommandHarness.Setup.defaults().withFilters())) {
            h.run("SET", "doc:x", "{}");
            assertThat(h.run("SET", "doc:x", "not json", "PXAT", "1")).isEqualTo(OK);
            assertThat(h.stored("doc:x")).isNull();
        }
    }
}
