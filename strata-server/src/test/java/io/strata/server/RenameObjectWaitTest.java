package io.strata.server;

import static io.strata.server.CommandHarness.NIL;
import static io.strata.server.CommandHarness.OK;
import static io.strata.server.CommandHarness.START;
import static io.strata.server.CommandHarness.bulk;
import static io.strata.server.CommandHarness.error;
import static io.strata.server.CommandHarness.integer;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RENAME, RENAMENX, COPY, TOUCH, RANDOMKEY, OBJECT, WAIT and WAITAOF (keyspace.tcl's cases). */
class RenameObjectWaitTest extends WithCommandHarness {

    @Test
    void renameMovesTheValueAndItsTtl() {
        h.run("SET", "a", "v", "PX", "5000");
        h.run("SET", "b", "old");
        assertThat(h.run("RENAME", "a", "b")).isEqualTo(OK);
        assertThat(h.stored("a")).isNull();
        assertThat(h.run("GET", "b")).isEqualTo(bulk("v"));
        assertThat(h.run("PEXPIRETIME", "b")).isEqualTo(integer(START + 5000));
        assertThat(h.run("RENAME", "b", "b")).isEqualTo(OK);
        assertThat(h.run("RENAME", "nope", "x")).isEqualTo(error("ERR no such key"));
        assertThat(h.run("RENAME", "nope", "nope")).isEqualTo(error("ERR no such key"));
        h.run("SET", "c", "other");
        assertThat(h.run("RENAMENX", "b", "c")).isEqualTo(integer(0));
        assertThat(h.run("GET", "b")).isEqualTo(bulk("v"));
        assertThat(h.run("RENAMENX", "b", "b")).isEqualTo(integer(0));
        assertThat(h.run("RENAMENX", "b", "d")).isEqualTo(integer(1));
        assertThat(h.run("GET", "d")).isEqualTo(bulk("v"));
        assertThat(h.run("PEXPIRETIME", "d")).isEqualTo(integer(START + 5000));
        assertThat(h.run("RENAMENX", "gone", "d")).isEqualTo(error("ERR no such key"));
    }

    @Test
    void copy() {
        h.run("SET", "src", "v", "EX", "100");
        assertThat(h.run("COPY", "src", "dst")).isEqualTo(integer(1));
        assertThat(h.run("GET", "dst")).isEqualTo(bulk("v"));
        assertThat(h.run("PEXPIRETIME", "dst")).isEqualTo(integer(START + 100_000));
        assertThat(h.run("GET", "src")).isEqualTo(bulk("v"));
        h.run("SET", "src", "w");
        assertThat(h.run("COPY", "src", "dst")).isEqualTo(integer(0));
        assertThat(h.run("COPY", "src", "dst", "REPLACE")).isEqualTo(integer(1));
        assertThat(h.run("GET", "dst")).isEqualTo(bulk("w"));
        assertThat(h.run("TTL", "dst")).isEqualTo(integer(-1));
        assertThat(h.run("COPY", "nope", "dst2")).isEqualTo(integer(0));
        assertThat(h.run("COPY", "src", "dst3", "DB", "0")).isEqualTo(integer(1));
        assertThat(h.run("COPY", "src", "dst4", "DB", "1")).isEqualTo(error("ERR DB index is out of range"));
        assertThat(h.run("COPY", "src", "dst4", "DB", "x"))
                .isEqualTo(error("ERR value is not an integer or out of range"));
        assertThat(h.run("COPY", "src", "src")).isEqualTo(error("ERR source and destination objects are the same"));
        assertThat(h.run("COPY", "src", "dst", "NOPE")).isEqualTo(error("ERR syntax error"));
        assertThat(h.run("COPY", "src", "dst", "DB")).isEqualTo(error("ERR syntax error"));
    }

    @Test
    void touchCountsLiveKeys() {
        h.run("MSET", "a", "1", "b", "2");
        h.run("SET", "x", "v", "PXAT", Long.toString(START + 1));
        h.now.addAndGet(1);
        assertThat(h.run("TOUCH", "a", "b", "x", "nope", "a")).isEqualTo(integer(3));
    }

    @Test
    void randomKey() {
        assertThat(h.run("RANDOMKEY")).isEqualTo(NIL);
        h.run("SET", "only", "v");
        assertThat(h.run("RANDOMKEY")).isEqualTo(bulk("only"));
        for (int i = 0; i < 200; i++) {
            h.run("SET", "dead:" + i, "v", "PXAT", Long.toString(START + 1));
        }
        h.run("MSET", "a", "1", "m", "2", "z", "3");
        h.now.addAndGet(1);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String reply = h.run("RANDOMKEY");
            assertThat(reply).isIn(bulk("a"), bulk("m"), bulk("only"), bulk("z"), NIL);
            seen.add(reply);
        }
        // Drawn over the key space: each key after a gap of expired ones ("a" is before none, so rarely).
        assertThat(seen).contains(bulk("m"), bulk("only"), bulk("z"));
        h.run("DEL", "a", "m", "only", "z");
        assertThat(h.run("RANDOMKEY")).isEqualTo(NIL); // 200 expired keys only: nil, in bounded time
    }

    @Test
    void randomKeyDrawsTheFirstKeyToo() {
        // keyspace.tcl's RANDOMKEY: of "bar" and "foo", 100 draws see both (the first key has no gap before it).
        h.run("MSET", "foo", "x", "bar", "y");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            seen.add(h.run("RANDOMKEY"));
        }
        assertThat(seen).containsExactlyInAnyOrder(bulk("foo"), bulk("bar"));
    }

    @Test
    void objectIdletimeCountsFromTheLastUse() {
        h.run("SET", "k", "v");
        h.run("SET", "j", "v");
        h.now.addAndGet(3_500);
        h.run("TTL", "k");
        h.run("TYPE", "k");
        h.run("EXISTS", "k");
        h.run("OBJECT", "ENCODING", "k");
        assertThat(h.run("OBJECT", "IDLETIME", "k")).as("looking is no use").isEqualTo(integer(3));
        h.run("GET", "k");
        assertThat(h.run("OBJECT", "IDLETIME", "k")).isEqualTo(integer(0));
        h.now.addAndGet(2_000);
        h.run("CLIENT", "NO-TOUCH", "ON");
        h.run("GET", "k");
        h.run("TOUCH", "j");
        assertThat(h.run("OBJECT", "IDLETIME", "k")).as("NO-TOUCH").isEqualTo(integer(2));
        assertThat(h.run("OBJECT", "IDLETIME", "j")).as("but TOUCH touches").isEqualTo(integer(0));
        h.run("CLIENT", "NO-TOUCH", "OFF");
        h.run("EVAL", "return redis.call('get', KEYS[1])", "1", "k");
        assertThat(h.run("OBJECT", "IDLETIME", "k"))
                .as("a script's commands use keys too")
                .isEqualTo(integer(0));
    }

    @Test
    void object() {
        h.run("MSET", "int", "12345", "big", "-9223372036854775808", "notint", "012", "short", "x".repeat(44));
        h.run("SET", "long", "x".repeat(45));
        assertThat(h.run("OBJECT", "ENCODING", "int")).isEqualTo(bulk("int"));
        assertThat(h.run("OBJECT", "ENCODING", "big")).isEqualTo(bulk("int"));
        assertThat(h.run("OBJECT", "encoding", "notint")).isEqualTo(bulk("embstr"));
        assertThat(h.run("OBJECT", "ENCODING", "short")).isEqualTo(bulk("embstr"));
        assertThat(h.run("OBJECT", "ENCODING", "long")).isEqualTo(bulk("raw"));
        assertThat(h.run("OBJECT", "ENCODING", "nope")).isEqualTo(NIL);
        assertThat(h.run("OBJECT", "IDLETIME", "int")).isEqualTo(integer(0));
        assertThat(h.run("OBJECT", "REFCOUNT", "long")).isEqualTo(integer(1));
        h.run("SET", "small", "7");
        assertThat(h.run("OBJECT", "REFCOUNT", "small")).isEqualTo(integer(Integer.MAX_VALUE));
        assertThat(h.run("OBJECT", "FREQ", "int")).startsWith("-ERR An LFU maxmemory policy is not selected");
        assertThat(h.run("OBJECT", "HELP")).startsWith("*15\r\n+OBJECT <subcommand>");
        assertThat(h.run("OBJECT", "ENCODING"))
                .isEqualTo(error("ERR wrong number of arguments for 'object|encoding' " + "command"));
        assertThat(h.run("OBJECT", "NOPE", "x")).isEqualTo(error("ERR unknown subcommand 'NOPE'. Try OBJECT HELP."));
    }

    @Test
    void waitAndWaitaof() {
        assertThat(h.run("WAIT", "1", "0")).isEqualTo(integer(0));
        assertThat(h.run("WAIT", "0", "-1")).isEqualTo(error("ERR timeout is negative"));
        assertThat(h.run("WAIT", "0", "x")).isEqualTo(error("ERR timeout is not an integer or out of range"));
        assertThat(h.run("WAITAOF", "0", "0", "0")).isEqualTo("*2\r\n:0\r\n:0\r\n");
        assertThat(h.run("WAITAOF", "1", "0", "0"))
                .isEqualTo(error("ERR WAITAOF cannot be used when numlocal is set but appendonly is disabled."));
        assertThat(h.run("WAITAOF", "2", "0", "0"))
                .isEqualTo(error("ERR value is out of range, value must between 0 and 1"));
        assertThat(h.run("WAITAOF", "0", "-1", "0")).isEqualTo(error("ERR value is out of range, must be positive"));
    }

    @Test
    void waitaofCountsTheLocalFsyncWithSync(@TempDir Path other) {
        try (CommandHarness synced =
                CommandHarness.open(other, CommandHarness.Setup.defaults().with(c -> c.sync(true)))) {
            assertThat(synced.run("WAITAOF", "1", "1", "100")).isEqualTo("*2\r\n:1\r\n:0\r\n");
        }
    }
}
