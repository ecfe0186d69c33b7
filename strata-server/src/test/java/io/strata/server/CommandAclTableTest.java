package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.server.acl.AclCategory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Every command's (and subcommand's) key range and ACL categories, as COMMAND INFO reports them,
 * against redis-server 7.0.15's COMMAND INFO (7.2's for WAITAOF and CLIENT SETINFO / NO-TOUCH,
 * which 7.0 lacks). Deliberate differences: DBSIZE is not fast here (it counts by a scan), so
 * it is @slow; the STRATA.* commands are Strata's; SCRIPT DEBUG is not provided. A command added without
 * an entry here fails.
 */
class CommandAclTableTest {
    private static final Map<String, String> EXPECTED = new TreeMap<>();

    private static void expect(String line) {
        int space = line.indexOf(' ');
        EXPECTED.put(line.substring(0, space), line.substring(space + 1));
    }

    static {
        for (String line : new String[] {
            "append 1 1 1 @write @string @fast",
            "auth 0 0 0 @fast @connection",
            "bgsave 0 0 0 @admin @slow @dangerous",
            "bitcount 1 1 1 @read @bitmap @slow",
            "bitfield 1 1 1 @write @bitmap @slow",
            "bitfield_ro 1 1 1 @read @bitmap @fast",
            "bitop 2 -1 1 @write @bitmap @slow",
            "bitpos 1 1 1 @read @bitmap @slow",
            "client 0 0 0 @slow",
            "client|getname 0 0 0 @slow @connection",
            "client|help 0 0 0 @slow @connection",
            "client|id 0 0 0 @slow @connection",
            "client|info 0 0 0 @slow @connection",
            "client|kill 0 0 0 @admin @slow @dangerous @connection",
            "client|list 0 0 0 @admin @slow @dangerous @connection",
            "client|no-evict 0 0 0 @admin @slow @dangerous @connection",
            "client|no-touch 0 0 0 @slow @connection",
            "client|setinfo 0 0 0 @slow @connection",
            "client|setname 0 0 0 @slow @connection",
            "command 0 0 0 @slow @connection",
            "command|count 0 0 0 @slow @connection",
            "command|docs 0 0 0 @slow @connection",
            "command|help 0 0 0 @slow @connection",
            "command|info 0 0 0 @slow @connection",
            "command|list 0 0 0 @slow @connection",
            "command|getkeys 0 0 0 @slow @connection",
            "command|getkeysandflags 0 0 0 @slow @connection",
            "memory 0 0 0 @slow",
            "memory|doctor 0 0 0 @slow",
            "memory|help 0 0 0 @slow",
            "memory|malloc-stats 0 0 0 @slow",
            "memory|purge 0 0 0 @slow",
            "memory|stats 0 0 0 @slow",
            "memory|usage 2 2 1 @read @slow",
            "slowlog 0 0 0 @slow",
            "slowlog|get 0 0 0 @admin @slow @dangerous",
            "slowlog|help 0 0 0 @slow",
            "slowlog|len 0 0 0 @admin @slow @dangerous",
            "slowlog|reset 0 0 0 @admin @slow @dangerous",
            "config 0 0 0 @slow",
            "config|get 0 0 0 @admin @slow @dangerous",
            "config|help 0 0 0 @slow",
            "config|resetstat 0 0 0 @admin @slow @dangerous",
            "config|rewrite 0 0 0 @admin @slow @dangerous",
            "config|set 0 0 0 @admin @slow @dangerous",
            "copy 1 2 1 @keyspace @write @slow",
            "dbsize 0 0 0 @keyspace @read @slow",
            "decr 1 1 1 @write @string @fast",
            "decrby 1 1 1 @write @string @fast",
            "del 1 -1 1 @keyspace @write @slow",
            "discard 0 0 0 @fast @transaction",
            "dump 1 1 1 @keyspace @read @slow",
            "echo 0 0 0 @fast @connection",
            "exec 0 0 0 @slow @transaction",
            "eval 0 0 0 @slow @scripting",
            "function 0 0 0 @slow",
            "function|delete 0 0 0 @write @slow @scripting",
            "function|dump 0 0 0 @slow @scripting",
            "function|flush 0 0 0 @write @slow @scripting",
            "function|help 0 0 0 @slow @scripting",
            "function|kill 0 0 0 @slow @scripting",
            "function|list 0 0 0 @slow @scripting",
            "function|load 0 0 0 @write @slow @scripting",
            "function|restore 0 0 0 @write @slow @scripting",
            "function|stats 0 0 0 @slow @scripting",
            "eval_ro 0 0 0 @slow @scripting",
            "evalsha 0 0 0 @slow @scripting",
            "evalsha_ro 0 0 0 @slow @scripting",
            "exists 1 -1 1 @keyspace @read @fast",
            "expire 1 1 1 @keyspace @write @fast",
            "expireat 1 1 1 @keyspace @write @fast",
            "expiretime 1 1 1 @keyspace @read @fast",
            "flushall 0 0 0 @keyspace @write @slow @dangerous",
            "flushdb 0 0 0 @keyspace @write @slow @dangerous",
            "get 1 1 1 @read @string @fast",
            "getbit 1 1 1 @read @bitmap @fast",
            "getdel 1 1 1 @write @string @fast",
            "getex 1 1 1 @write @string @fast",
            "getrange 1 1 1 @read @string @slow",
            "getset 1 1 1 @write @string @fast",
            "hello 0 0 0 @fast @connection",
            "incr 1 1 1 @write @string @fast",
            "incrby 1 1 1 @write @string @fast",
            "incrbyfloat 1 1 1 @write @string @fast",
            "info 0 0 0 @slow @dangerous",
            "keys 0 0 0 @keyspace @read @slow @dangerous",
            "lastsave 0 0 0 @admin @fast @dangerous",
            "lcs 1 2 1 @read @string @slow",
            "mget 1 -1 1 @read @string @fast",
            "mset 1 -1 2 @write @string @slow",
            "msetnx 1 -1 2 @write @string @slow",
            "multi 0 0 0 @fast @transaction",
            "object 0 0 0 @slow",
            "object|encoding 2 2 1 @keyspace @read @slow",
            "object|freq 2 2 1 @keyspace @read @slow",
            "object|help 0 0 0 @keyspace @slow",
            "object|idletime 2 2 1 @keyspace @read @slow",
            "object|refcount 2 2 1 @keyspace @read @slow",
            "persist 1 1 1 @keyspace @write @fast",
            "pexpire 1 1 1 @keyspace @write @fast",
            "pexpireat 1 1 1 @keyspace @write @fast",
            "pexpiretime 1 1 1 @keyspace @read @fast",
            "ping 0 0 0 @fast @connection",
            "psetex 1 1 1 @write @string @slow",
            "pttl 1 1 1 @keyspace @read @fast",
            "quit 0 0 0 @fast @connection",
            "randomkey 0 0 0 @keyspace @read @slow",
            "readonly 0 0 0 @fast @connection",
            "readwrite 0 0 0 @fast @connection",
            "rename 1 2 1 @keyspace @write @slow",
            "renamenx 1 2 1 @keyspace @write @fast",
            "reset 0 0 0 @fast @connection",
            "restore 1 1 1 @keyspace @write @slow @dangerous",
            "save 0 0 0 @admin @slow @dangerous",
            "scan 0 0 0 @keyspace @read @slow",
            "script 0 0 0 @slow",
            "script|exists 0 0 0 @slow @scripting",
            "script|flush 0 0 0 @slow @scripting",
            "script|help 0 0 0 @slow @scripting",
            "script|kill 0 0 0 @slow @scripting",
            "script|load 0 0 0 @slow @scripting",
            "select 0 0 0 @fast @connection",
            "set 1 1 1 @write @string @slow",
            "setbit 1 1 1 @write @bitmap @slow",
            "setex 1 1 1 @write @string @slow",
            "setnx 1 1 1 @write @string @fast",
            "setrange 1 1 1 @write @string @slow",
            "shutdown 0 0 0 @admin @slow @dangerous",
            "strlen 1 1 1 @read @string @fast",
            "substr 1 1 1 @read @string @slow",
            "time 0 0 0 @fast",
            "touch 1 -1 1 @keyspace @read @fast",
            "ttl 1 1 1 @keyspace @read @fast",
            "type 1 1 1 @keyspace @read @fast",
            "unlink 1 -1 1 @keyspace @write @fast",
            "unwatch 0 0 0 @fast @transaction",
            "wait 0 0 0 @slow @connection",
            "waitaof 0 0 0 @slow @connection",
            "watch 1 -1 1 @fast @transaction",
            "acl 0 0 0 @slow",
            "acl|cat 0 0 0 @slow",
            "acl|deluser 0 0 0 @admin @slow @dangerous",
            "acl|dryrun 0 0 0 @admin @slow @dangerous",
            "acl|genpass 0 0 0 @slow",
            "acl|getuser 0 0 0 @admin @slow @dangerous",
            "acl|help 0 0 0 @slow",
            "acl|list 0 0 0 @admin @slow @dangerous",
            "acl|load 0 0 0 @admin @slow @dangerous",
            "acl|log 0 0 0 @admin @slow @dangerous",
            "acl|save 0 0 0 @admin @slow @dangerous",
            "acl|setuser 0 0 0 @admin @slow @dangerous",
            "acl|users 0 0 0 @admin @slow @dangerous",
            "acl|whoami 0 0 0 @slow",
            "strata.range 0 0 0 @keyspace @read @slow",
            "strata.stats 0 0 0 @admin @slow @dangerous",
            "strata.compact 0 0 0 @admin @slow @dangerous",
            "strata.checkpoint 0 0 0 @admin @slow @dangerous",
            "strata.cluster 0 0 0 @admin @slow @dangerous",
            "subscribe 0 0 0 @pubsub @slow",
            "unsubscribe 0 0 0 @pubsub @slow",
            "psubscribe 0 0 0 @pubsub @slow",
            "punsubscribe 0 0 0 @pubsub @slow",
            "ssubscribe 1 -1 1 @pubsub @slow",
            "sunsubscribe 1 -1 1 @pubsub @slow",
            "publish 0 0 0 @pubsub @fast",
            "spublish 1 1 1 @pubsub @fast",
            "pubsub 0 0 0 @slow",
            "pubsub|channels 0 0 0 @pubsub @slow",
            "pubsub|help 0 0 0 @slow",
            "pubsub|numpat 0 0 0 @pubsub @slow",
            "pubsub|numsub 0 0 0 @pubsub @slow",
            "pubsub|shardchannels 0 0 0 @pubsub @slow",
            "pubsub|shardnumsub 0 0 0 @pubsub @slow",
            "monitor 0 0 0 @admin @slow @dangerous",
            "client|pause 0 0 0 @admin @slow @dangerous @connection",
            "client|reply 0 0 0 @slow @connection",
            "client|unpause 0 0 0 @admin @slow @dangerous @connection",
        }) {
            expect(line);
        }
    }

    private static String describe(CommandSpec c) {
        List<String> parts = new ArrayList<>();
        parts.add(c.keys().first + " " + c.keys().last + " " + c.keys().step);
        for (AclCategory cat : c.acl().categories()) {
            parts.add("@" + cat.ruleName());
        }
        return String.join(" ", parts);
    }

    @Test
    void everyCommandHasRedissKeysAndCategories() {
        Map<String, String> actual = new TreeMap<>();
        for (CommandSpec c : CommandTable.standard().all()) {
            actual.put(c.name(), describe(c));
            c.subcommands().values().forEach(s -> actual.put(s.name(), describe(s)));
        }
        assertThat(actual).isEqualTo(EXPECTED);
    }

    @Test
    void theAclCatalogHoldsTheSame() {
        CommandTable t = CommandTable.standard();
        assertThat(t.catalog().size()).isEqualTo(EXPECTED.size());
        for (String name : EXPECTED.keySet()) {
            assertThat(t.catalog().byName(name)).as(name).isNotNull();
        }
    }
}
