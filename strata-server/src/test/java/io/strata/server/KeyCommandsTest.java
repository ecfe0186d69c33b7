package io.strata.server;

import static io.strata.server.CommandHarness.START;
import static io.strata.server.CommandHarness.bulk;
import static io.strata.server.CommandHarness.error;
import static io.strata.server.CommandHarness.integer;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generic key commands run against a store without a socket ({@link CommandHarness}), on a fixed clock. */
class KeyCommandsTest {
    @TempDir
    Path dir;

    CommandHarness h;

    @BeforeEach
    void open() {
        h = CommandHarness.open(dir, CommandHarness.Setup.defaults().with(c -> c.keysLimit(3)));
    }

    @AfterEach
    void close() {
        h.close();
    }

    @Test
    void delCountsEachLiveKeyOnceAndExistsCountsEveryArgument() {
        h.run("MSET", "a", "1", "b", "2");
        assertThat(h.run("EXISTS", "a", "a", "b", "nope")).isEqualTo(integer(3));
        assertThat(h.run("DEL", "a", "a", "nope", "")).isEqualTo(integer(1));
        assertThat(h.stored("a")).isNull();
        assertThat(h.run("UNLINK", "b", "b")).isEqualTo(integer(1));
        assertThat(h.run("EXISTS", "a", "b")).isEqualTo(integer(0));
    }

    @Test
    void delRemovesAnExpiredValueWithoutCountingIt() {
        h.run("SET", "e", "v", "PX", "10");
        h.now.addAndGet(10);
        assertThat(h.stored("e")).isNotNull(); // expired, still in the store
        assertThat(h.run("EXISTS", "e")).isEqualTo(integer(0));
        assertThat(h.run("DEL", "e")).isEqualTo(integer(0));
        assertThat(h.stored("e")).isNull();
    }

    @Test
    void expireOptions() {
        h.run("SET", "k", "v");
        assertThat(h.run("EXPIRE", "k", "100", "XX")).isEqualTo(integer(0)); // no expiry yet
        assertThat(h.run("EXPIRE", "k", "100", "GT")).isEqualTo(integer(0)); // none is infinite: nothing is greater
        assertThat(h.run("EXPIRE", "k", "100", "NX")).isEqualTo(integer(1));
        assertThat(h.run("PTTL", "k")).isEqualTo(integer(100_000));
        assertThat(h.run("EXPIRE", "k", "200", "NX")).isEqualTo(integer(0));
        assertThat(h.run("EXPIRE", "k", "50", "GT")).isEqualTo(integer(0));
        assertThat(h.run("EXPIRE", "k", "200", "gt")).isEqualTo(integer(1));
        assertThat(h.run("EXPIRE", "k", "300", "LT")).isEqualTo(integer(0));
        assertThat(h.run("EXPIRE", "k", "150", "LT", "XX")).isEqualTo(integer(1));
        assertThat(h.run("TTL", "k")).isEqualTo(integer(150));
        assertThat(h.run("PERSIST", "k")).isEqualTo(integer(1));
        assertThat(h.run("EXPIRE", "k", "10", "LT")).isEqualTo(integer(1)); // anything is less than none

        assertThat(h.run("EXPIRE", "k", "1", "NX", "GT"))
                .isEqualTo(error("ERR NX and XX, GT or LT options at the same time are not compatible"));
        assertThat(h.run("EXPIRE", "k", "1", "GT", "LT"))
                .isEqualTo(error("ERR GT and LT options at the same time are not compatible"));
        assertThat(h.run("EXPIRE", "k", "1", "SOON")).isEqualTo(error("ERR Unsupported option SOON"));
        assertThat(h.run("EXPIRE", "k", Long.toString(Long.MAX_VALUE)))
                .isEqualTo(error("ERR invalid expire time in 'expire' command"));
        assertThat(h.run("PEXPIREAT", "k", "x")).isEqualTo(error("ERR value is not an integer or out of range"));
        assertThat(h.run("EXPIRE", "nope", "10")).isEqualTo(integer(0));
        assertThat(h.run("PTTL", "k")).isEqualTo(integer(10_000));
    }

    @Test
    void expireUnitsAndTimesInThePast() {
        h.run("MSET", "a", "1", "b", "2", "c", "3", "d", "4");
        assertThat(h.run("PEXPIRE", "a", "1500")).isEqualTo(integer(1));
        assertThat(h.run("PEXPIRETIME", "a")).isEqualTo(integer(START + 1500));
        assertThat(h.run("EXPIREAT", "b", Long.toString(START / 1000 + 60))).isEqualTo(integer(1));
        assertThat(h.run("PEXPIRETIME", "b")).isEqualTo(integer(START + 60_000));
        assertThat(h.run("PEXPIREAT", "c", Long.toString(START + 7))).isEqualTo(integer(1));
        assertThat(h.run("PTTL", "c")).isEqualTo(integer(7));

        // A time not after now deletes the key (EXPIREAT 0 too: 0 is a time here, not "no expiry").
        assertThat(h.run("EXPIREAT", "d", "0")).isEqualTo(integer(1));
        assertThat(h.stored("d")).isNull();
        assertThat(h.run("EXPIRE", "c", "-1")).isEqualTo(integer(1));
        assertThat(h.stored("c")).isNull();
        assertThat(h.run("PEXPIREAT", "b", Long.toString(START))).isEqualTo(integer(1));
        assertThat(h.stored("b")).isNull();
    }

    @Test
    void ttlFamily() {
        h.run("SET", "forever", "v");
        h.run("SET", "k", "v", "PX", "1500");
        for (String cmd : new String[] {"TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME"}) {
            assertThat(h.run(cmd, "nope")).as(cmd).isEqualTo(integer(-2));
            assertThat(h.run(cmd, "forever")).as(cmd).isEqualTo(integer(-1));
        }
        assertThat(h.run("TTL", "k")).isEqualTo(integer(2)); // rounded, as Redis does
        assertThat(h.run("PTTL", "k")).isEqualTo(integer(1500));
        assertThat(h.run("EXPIRETIME", "k")).isEqualTo(integer((START + 1500) / 1000));
        assertThat(h.run("PEXPIRETIME", "k")).isEqualTo(integer(START + 1500));
        h.now.addAndGet(1499);
        assertThat(h.run("PTTL", "k")).isEqualTo(integer(1));
        assertThat(h.run("TTL", "k")).isEqualTo(integer(0));
        h.now.addAndGet(1);
        assertThat(h.run("PTTL", "k")).isEqualTo(integer(-2));
    }

    @Test
    void persist() {
        h.run("SET", "k", "v", "EX", "10");
        h.run("SET", "forever", "v");
        assertThat(h.run("PERSIST", "k")).isEqualTo(integer(1));
        assertThat(h.run("TTL", "k")).isEqualTo(integer(-1));
        assertThat(h.run("GET", "k")).isEqualTo(bulk("v"));
        assertThat(h.run("PERSIST", "k")).isEqualTo(integer(0));
        assertThat(h.run("PERSIST", "forever")).isEqualTo(integer(0));
        assertThat(h.run("PERSIST", "nope")).isEqualTo(integer(0));
    }

    @Test
    void typeOfAStringAndOfNothing() {
        h.run("SET", "k", "v");
        assertThat(h.run("TYPE", "k")).isEqualTo("+string\r\n");
        assertThat(h.run("TYPE", "nope")).isEqualTo("+none\r\n");
    }

    /** A SCAN reply's cursor and keys. */
    private record Page(String cursor, List<String> keys) {}

    /** Parses {@code *2 $n cursor *k $n key ...} (every element a bulk string). */
    private static Page page(String reply) {
        String[] lines = reply.split("\r\n", -1);
        assertThat(lines[0]).isEqualTo("*2");
        String cursor = lines[2];
        int n = Integer.parseInt(lines[3].substring(1));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            keys.add(lines[5 + 2 * i]);
        }
        return new Page(cursor, keys);
    }

    @Test
    void scanWalksEveryKeyInOrderWithCursors() {
        h.run("MSET", "a", "1", "b", "2", "c", "3", "d", "4", "e", "5");
        h.run("MSET", "long-key-1", "1", "long-key-2", "2", "long-key-3", "3"); // past 7 bytes: table cursors
        h.run("SET", "expired", "x", "PXAT", Long.toString(START + 1));
        h.now.addAndGet(1);
        List<String> seen = new ArrayList<>();
        String cursor = "0";
        int pages = 0;
        do {
            Page p = page(h.run("SCAN", cursor, "COUNT", "2"));
            assertThat(p.keys().size()).isLessThanOrEqualTo(2);
            seen.addAll(p.keys());
            cursor = p.cursor();
            pages++;
        } while (!cursor.equals("0") && pages < 20);
        assertThat(seen).containsExactly("a", "b", "c", "d", "e", "long-key-1", "long-key-2", "long-key-3");
        assertThat(pages).isEqualTo(5); // 9 keys looked at, 2 a page: the expired key fills a slot too

        Page first = page(h.run("SCAN", "0", "COUNT", "2"));
        assertThat(first.cursor()).isEqualTo(Long.toString(0x163)); // 0x01 then 'c': the next key
        assertThat(page(h.run("SCAN", first.cursor(), "COUNT", "1")).keys()).containsExactly("c");
    }

    @Test
    void scanMatchCountAndType() {
        h.run("MSET", "user:1", "a", "user:2", "b", "user:10", "c", "other", "d");
        assertThat(page(h.run("SCAN", "0", "MATCH", "user:?")).keys()).containsExactly("user:1", "user:2");
        assertThat(page(h.run("SCAN", "0", "match", "*er*", "count", "100")).keys())
                .containsExactly("other", "user:1", "user:10", "user:2");
        assertThat(page(h.run("SCAN", "0", "TYPE", "string")).keys()).hasSize(4);
        assertThat(page(h.run("SCAN", "0", "TYPE", "hash")).keys()).isEmpty();
        assertThat(h.run("SCAN", "0", "COUNT", "0")).isEqualTo(error("ERR syntax error"));
        assertThat(h.run("SCAN", "0", "MATCH")).isEqualTo(error("ERR syntax error"));
        assertThat(h.run("SCAN", "12abc")).isEqualTo(error("ERR invalid cursor"));
        assertThat(h.run("SCAN", Long.toString(1L << 62))).isEqualTo(error("ERR invalid cursor")); // never issued
    }

    @Test
    void keysStopsAtTheLimit() {
        h.run("MSET", "k1", "a", "k2", "b", "k3", "c", "x", "d");
        assertThat(h.run("KEYS", "k*")).isEqualTo("*3\r\n" + bulk("k1") + bulk("k2") + bulk("k3"));
        assertThat(h.run("KEYS", "?")).isEqualTo("*1\r\n" + bulk("x"));
        assertThat(h.run("KEYS", "*"))
                .isEqualTo(error("ERR KEYS would return more than 3 keys (keys-limit); use SCAN"));
    }
}
