package io.strata.server;

import static io.strata.server.CommandHarness.OK;
import static io.strata.server.CommandHarness.error;
import static io.strata.server.CommandHarness.integer;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** CONFIG SET's atomicity and no-effect parameters, COMMAND GETKEYS and LIST, MEMORY, CLIENT KILL's errors. */
class IntrospectionCommandsTest extends WithCommandHarness {
    @Test
    void configSetOfSeveralIsAllOrNothing() {
        assertThat(h.run("CONFIG", "SET", "slowlog-max-len", "5", "maxclients", "abc"))
                .isEqualTo(error("ERR CONFIG SET failed (possibly related to argument 'maxclients') - "
                        + "argument couldn't be parsed into an integer"));
        assertThat(h.run("CONFIG", "GET", "slowlog-max-len")).contains("$3\r\n128\r\n");
        assertThat(h.run("CONFIG", "SET", "maxmemory", "1", "maxmemory", "2"))
                .isEqualTo(error(
                        "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - duplicate parameter"));
        assertThat(h.run("CONFIG", "SET", "slowlog-max-len", "5", "timeout", "7"))
                .isEqualTo(OK);
        assertThat(h.run("CONFIG", "GET", "slowlog-max-len", "timeout")).contains("$1\r\n5\r\n", "$1\r\n7\r\n");
    }

    @Test
    void redisParametersWithoutMeaningHereAreAcceptedWithNoEffect() {
        assertThat(h.run("CONFIG", "GET", "list-max-listpack-size")).contains("$2\r\n-2\r\n");
        assertThat(h.run("CONFIG", "SET", "list-max-listpack-size", "5", "hash-max-listpack-entries", "9"))
                .isEqualTo(OK);
        assertThat(h.run("CONFIG", "GET", "list-max-listpack-size")).contains("$1\r\n5\r\n");
        assertThat(h.run("CONFIG", "SET", "activedefrag", "maybe"))
                .isEqualTo(error("ERR CONFIG SET failed (possibly related to argument 'activedefrag') - "
                        + "argument must be 'yes' or 'no'"));
        assertThat(h.run("CONFIG", "SET", "maxmemory", "bla"))
                .isEqualTo(error("ERR CONFIG SET failed (possibly related to argument 'maxmemory') - "
                        + "argument must be a memory value"));
        assertThat(h.run("CONFIG", "SET", "maxmemory", "100mb", "hz", "20", "maxmemory-clients", "10%"))
                .isEqualTo(OK);
        assertThat(h.run("CONFIG", "SET", "maxmemory-clients", "200%"))
                .isEqualTo(error("ERR CONFIG SET failed (possibly related to argument 'maxmemory-clients') - "
                        + "percentage argument must be less or equal to 100"));
        assertThat(h.run("CONFIG", "GET", "key-load-*"))
                .as("hidden: by name only")
                .isEqualTo("*0\r\n");
        assertThat(h.run("CONFIG", "GET", "key-load-delay")).contains("key-load-delay", "$1\r\n0\r\n");
        assertThat(h.run("CONFIG", "SET", "tls-auth-clients", "yes"))
                .as("no TLS port here, but its value already")
                .isEqualTo(OK);
        assertThat(h.run("CONFIG", "SET", "daemonize", "yes"))
                .isEqualTo(error("ERR CONFIG SET failed (possibly related to argument 'daemonize') - "
                        + "can't set immutable config"));
        // its own value again: accepted, even for a parameter CONFIG SET cannot change
        assertThat(h.run("CONFIG", "SET", "daemonize", "no")).isEqualTo(OK);
        assertThat(h.run("CONFIG", "GET", "*of")).contains("replicaof", "slaveof");
        assertThat(h.run("CONFIG", "SET", "nosuch", "1"))
                .isEqualTo(error("ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'"));
    }

    @Test
    void getkeysUsesTheKeySpecs() {
        assertThat(h.run("COMMAND", "GETKEYS", "GET", "k")).isEqualTo("*1\r\n$1\r\nk\r\n");
        assertThat(h.run("COMMAND", "GETKEYS", "MSET", "a", "1", "b", "2")).isEqualTo("*2\r\n$1\r\na\r\n$1\r\nb\r\n");
        assertThat(h.run("COMMAND", "GETKEYS", "EVAL", "return 1", "2", "x", "y", "arg"))
                .isEqualTo("*2\r\n$1\r\nx\r\n$1\r\ny\r\n");
        assertThat(h.run("COMMAND", "GETKEYS", "EVAL", "return 1", "0")).isEqualTo("*0\r\n");
        assertThat(h.run("COMMAND", "GETKEYS", "EVAL", "return 1", "3", "x")).isEqualTo("*0\r\n");
        assertThat(h.run("COMMAND", "GETKEYS", "MEMORY", "USAGE", "k")).isEqualTo("*1\r\n$1\r\nk\r\n");
        assertThat(h.run("COMMAND", "GETKEYSANDFLAGS", "SET", "k", "v"))
                .isEqualTo("*1\r\n*2\r\n$1\r\nk\r\n*2\r\n+OW\r\n+update\r\n");
        assertThat(h.run("COMMAND", "GETKEYS", "NOSUCH", "k")).isEqualTo(error("ERR Invalid command specified"));
        assertThat(h.run("COMMAND", "GETKEYS", "SET", "k"))
                .isEqualTo(error("ERR Invalid number of arguments specified for command"));
        assertThat(h.run("COMMAND", "GETKEYS", "PING", "x")).isEqualTo(error("ERR The command has no key arguments"));
        assertThat(h.run("COMMAND", "INFO", "eval")).contains("keynum", "keynumidx", "movablekeys");
        assertThat(h.run("COMMAND", "INFO", "get")).contains("begin_search", "range", "lastkey");
        assertThat(h.run("COMMAND", "INFO", "config|get")).contains("config|get");
        assertThat(h.run("COMMAND", "INFO", "get|key")).isEqualTo("*1\r\n*-1\r\n");
    }

    @Test
    void commandListFilters() {
        assertThat(h.run("COMMAND", "LIST")).contains("$3\r\nset\r\n", "$11\r\nclient|list\r\n");
        assertThat(h.run("COMMAND", "LIST", "FILTERBY", "PATTERN", "config|*re*"))
                .isEqualTo("*2\r\n$16\r\nconfig|resetstat\r\n$14\r\nconfig|rewrite\r\n");
        assertThat(h.run("COMMAND", "LIST", "FILTERBY", "ACLCAT", "scripting"))
                .contains("$4\r\neval\r\n")
                .doesNotContain("$3\r\nset\r\n");
        assertThat(h.run("COMMAND", "LIST", "FILTERBY", "MODULE", "m")).isEqualTo("*0\r\n");
        assertThat(h.run("COMMAND", "LIST", "bad")).isEqualTo(error("ERR syntax error"));
    }

    @Test
    void memoryUsageEstimatesAsRedis() {
        assertThat(h.run("MEMORY", "USAGE", "k")).isEqualTo("$-1\r\n");
        h.run("SET", "k", "v".repeat(20));
        assertThat(h.run("MEMORY", "USAGE", "k")).isEqualTo(integer(80)); // redis-server 7.0.15's answer
        assertThat(h.run("MEMORY", "USAGE", "k", "SAMPLES", "0")).isEqualTo(integer(80));
        assertThat(h.run("MEMORY", "USAGE", "k", "SAMPLES")).isEqualTo(error("ERR syntax error"));
        assertThat(h.run("MEMORY", "DOCTOR")).contains("Sam");
        assertThat(h.run("MEMORY", "STATS")).contains("keys.count", ":1\r\n");
        assertThat(h.run("MEMORY", "PURGE")).isEqualTo(OK);
    }

    @Test
    void clientKillArgumentsAreCheckedAsRedisChecksThem() {
        assertThat(h.run("CLIENT", "KILL")).isEqualTo(error("ERR wrong number of arguments for 'client|kill' command"));
        assertThat(h.run("CLIENT", "KILL", "ID", "10", "wrong_arg")).isEqualTo(error("ERR syntax error"));
        for (String id : new String[] {"str", "-1", "0"}) {
            assertThat(h.run("CLIENT", "KILL", "ID", id)).isEqualTo(error("ERR client-id should be greater than 0"));
        }
        assertThat(h.run("CLIENT", "KILL", "TYPE", "wrong_type"))
                .isEqualTo(error("ERR Unknown client type 'wrong_type'"));
        assertThat(h.run("CLIENT", "KILL", "USER", "nobody")).isEqualTo(error("ERR No such user 'nobody'"));
        assertThat(h.run("CLIENT", "KILL", "SKIPME", "maybe")).isEqualTo(error("ERR syntax error"));
        assertThat(h.run("CLIENT", "KILL", "ID", "999")).isEqualTo(integer(0));
        assertThat(h.run("CLIENT", "KILL", "1.2.3.4:5")).isEqualTo(error("ERR No such client"));
    }

    @Test
    void clientInfoShowsTheRequestAndItsSubcommand() {
        String info = h.run("CLIENT", "INFO");
        assertThat(info).contains(" qbuf=26 ", " cmd=client|info ", " multi=-1 ");
        h.run("MULTI");
        h.run("SET", "a", "1");
        h.run("SET", "b", "2");
        assertThat(h.connect().run("CLIENT", "LIST")).contains(" multi=2 ", " cmd=client|list ");
    }
}
