package io.strata.server;

import static io.strata.server.CommandHarness.OK;
import static io.strata.server.CommandHarness.bulk;
import static io.strata.server.CommandHarness.error;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * notify-keyspace-events: each command family's events, named and ordered as redis-server 7.0.15
 * publishes them (checked against it with the same commands), on the keyspace and keyevent channels.
 */
class KeyspaceEventsTest extends WithCommandHarness {
    private CommandHarness.Connection sub;

    @BeforeEach
    void subscribe() {
        sub = h.connect();
        sub.run("PSUBSCRIBE", "__keyspace@0__:*");
    }

    /** The keyspace events delivered since the last call, as {@code key=event}. */
    private List<String> events() {
        List<String> out = new ArrayList<>();
        String[] lines = sub.replies().split("\r\n", -1);
        for (int i = 0; i + 8 < lines.length; i++) {
            if (lines[i].equals("*4") && lines[i + 2].equals("pmessage")) {
                out.add(lines[i + 6].substring("__keyspace@0__:".length()) + "=" + lines[i + 8]);
                i += 8;
            }
        }
        return out;
    }

    private List<String> after(String... command) {
        h.run(command);
        return events();
    }

    @Test
    void noEventsUntilTheyAreTurnedOn() {
        h.run("SET", "k", "v");
        assertThat(events()).isEmpty();
        h.run("CONFIG", "SET", "notify-keyspace-events", "E$");
        h.run("SET", "k", "v");
        assertThat(events())
                .as("keyevent only: nothing on the keyspace channels")
                .isEmpty();
    }

    @Test
    void stringCommands() {
        h.run("CONFIG", "SET", "notify-keyspace-events", "KEA");
        assertThat(after("SET", "k", "v", "EX", "100")).containsExactly("k=set", "k=expire");
        assertThat(after("SETEX", "k2", "100", "v")).containsExactly("k2=set", "k2=expire");
        assertThat(after("SET", "k", "v", "KEEPTTL")).containsExactly("k=set");
        assertThat(after("SET", "k", "v", "NX")).as("not written: no event").isEmpty();
        assertThat(after("INCR", "n")).containsExactly("n=incrby");
        assertThat(after("DECRBY", "n", "3")).containsExactly("n=incrby");
        assertThat(after("INCRBYFLOAT", "f", "1.5")).containsExactly("f=incrbyfloat");
        assertThat(after("APPEND", "k", "x")).containsExactly("k=append");
        assertThat(after("SETRANGE", "k", "0", "y")).containsExactly("k=setrange");
        assertThat(after("MSET", "a", "1", "b", "2")).containsExactly("a=set", "b=set");
        assertThat(after("MSETNX", "x", "1", "y", "2")).containsExactly("x=set", "y=set");
        assertThat(after("MSETNX", "x", "1", "z", "2")).isEmpty();
        assertThat(after("SETNX", "z", "1")).containsExactly("z=set");
        assertThat(after("GETSET", "z", "2")).containsExactly("z=set");
        assertThat(after("GETDEL", "z")).containsExactly("z=del");
        assertThat(after("GETEX", "a", "EX", "10")).containsExactly("a=expire");
        assertThat(after("GETEX", "a", "PERSIST")).containsExactly("a=persist");
    }

    @Test
    void bitCommands() {
        h.run("CONFIG", "SET", "notify-keyspace-events", "K$g");
        assertThat(after("SETBIT", "b", "1", "1")).containsExactly("b=setbit");
        assertThat(after("BITFIELD", "bf", "SET", "u8", "0", "1")).containsExactly("bf=setbit");
        assertThat(after("BITOP", "OR", "e", "b", "bf")).containsExactly("e=set");
        assertThat(after("BITOP", "OR", "e", "none"))
                .as("an empty result deletes")
                .containsExactly("e=del");
    }

    @Test
    void genericCommands() {
        h.run("CONFIG", "SET", "notify-keyspace-events", "Kg");
        h.run("MSET", "a", "1", "b", "2", "k", "v");
        assertThat(events()).as("string events are not of class g").isEmpty();
        assertThat(after("DEL", "k", "nokey", "k")).containsExactly("k=del");
        assertThat(after("EXPIRE", "a", "100")).containsExactly("a=expire");
        assertThat(after("PERSIST", "a")).containsExactly("a=persist");
        assertThat(after("EXPIRE", "a", "0"))
                .as("an expiry already past deletes")
                .containsExactly("a=del");
        assertThat(after("RENAME", "b", "c")).containsExactly("b=rename_from", "c=rename_to");
        assertThat(after("COPY", "c", "d")).containsExactly("d=copy_to");
        String dump = h.run("DUMP", "d");
        h.run("DEL", "d");
        events();
        assertThat(h.runBytes(b("RESTORE"), b("r"), b("0"), CommandHarness.bulkBytes(dump)))
                .isEqualTo(OK);
        assertThat(events()).containsExactly("r=restore");
    }

    @Test
    void newEventsForTheKeysAWriteCreates() {
        h.run("CONFIG", "SET", "notify-keyspace-events", "Kn$g");
        assertThat(after("SET", "k", "v")).containsExactly("k=new", "k=set");
        assertThat(after("SET", "k", "w")).containsExactly("k=set");
        assertThat(after("MSET", "a", "1", "k", "2", "a", "3")).containsExactly("a=new", "a=set", "k=set", "a=set");
        assertThat(after("SETEX", "e", "100", "v")).containsExactly("e=new", "e=set", "e=expire");
        assertThat(after("INCR", "n")).containsExactly("n=new", "n=incrby");
        assertThat(after("INCR", "n")).containsExactly("n=incrby");
        assertThat(after("APPEND", "s", "x")).containsExactly("s=new", "s=append");
        assertThat(after("SETBIT", "b", "3", "1")).containsExactly("b=new", "b=setbit");
        assertThat(after("RENAME", "s", "k"))
                .as("as Redis: the destination is deleted and added anew")
                .containsExactly("k=new", "s=rename_from", "k=rename_to");
        h.send("SET", "p", "1").send("SET", "p", "2").flush();
        assertThat(events()).as("blind writes read while n is on").containsExactly("p=new", "p=set", "p=set");
        h.run("SET", "x", "v", "PX", "10");
        h.now.addAndGet(20);
        events();
        assertThat(after("SET", "x", "v")).as("over an expired value").containsExactly("x=new", "x=set");
    }

    @Test
    void keymissEventsForReadsThatFindNothing() {
        h.run("CONFIG", "SET", "notify-keyspace-events", "Km");
        h.run("SET", "k", "v");
        assertThat(after("GET", "k")).isEmpty();
        assertThat(after("GET", "nokey")).containsExactly("nokey=keymiss");
        assertThat(after("MGET", "k", "x", "y")).containsExactly("x=keymiss", "y=keymiss");
        assertThat(after("SET", "z", "v")).as("a write's lookup is no miss").isEmpty();
    }

    @Test
    void keyeventChannelsCarryTheKey() {
        h.run("CONFIG", "SET", "notify-keyspace-events", "E$");
        CommandHarness.Connection events = h.connect();
        events.run("SUBSCRIBE", "__keyevent@0__:set");
        h.run("SET", "k", "v");
        assertThat(events.replies()).isEqualTo("*3\r\n" + bulk("message") + bulk("__keyevent@0__:set") + bulk("k"));
    }

    @Test
    void aTransactionsEventsComeWhenExecStoresItsWrites() {
        h.run("CONFIG", "SET", "notify-keyspace-events", "KA");
        h.run("MULTI");
        h.run("SET", "k", "v");
        h.run("INCR", "n");
        assertThat(events()).as("queued: nothing stored yet").isEmpty();
        h.run("EXEC");
        assertThat(events()).containsExactly("k=set", "n=incrby");
        h.send("SET", "p", "1").send("SET", "q", "2");
        assertThat(events()).as("gathered blind writes: not stored yet").isEmpty();
        h.flush();
        assertThat(events()).containsExactly("p=set", "q=set");
    }

    @Test
    void theFlagsReadAndPrintAsRedisDoes() {
        for (String[] inOut :
                new String[][] {{"KEA", "AKE"}, {"g$xKn", "g$xnK"}, {"AnKm", "AKm"}, {"nd", "dn"}, {"", ""}}) {
            assertThat(h.run("CONFIG", "SET", "notify-keyspace-events", inOut[0]))
                    .isEqualTo(OK);
            assertThat(h.run("CONFIG", "GET", "notify-keyspace-events"))
                    .as(inOut[0])
                    .isEqualTo("*2\r\n" + bulk("notify-keyspace-events") + bulk(inOut[1]));
        }
        assertThat(h.run("CONFIG", "SET", "notify-keyspace-events", "Q"))
                .isEqualTo(error("ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - "
                        + "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."));
    }
}
