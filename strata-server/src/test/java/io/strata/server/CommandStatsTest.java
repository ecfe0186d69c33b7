package io.strata.server;

import static io.strata.server.CommandHarness.OK;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * INFO commandstats, errorstats and latencystats as Redis counts them: calls that ran, calls
 * refused before running (rejected_calls), calls that replied an error (failed_calls), error
 * replies by code; CONFIG RESETSTAT empties them all.
 */
class CommandStatsTest extends WithCommandHarness {
    private String info(String section) {
        return h.run("INFO", section);
    }

    @Test
    void callsRejectedAndFailedCallsAreCountedApart() {
        h.run("CONFIG", "RESETSTAT");
        h.run("SET", "k", "v");
        h.run("SET", "k", "v");
        h.run("SET", "k"); // wrong arity: rejected
        h.run("SET", "n", "x");
        h.run("INCR", "n"); // not an integer: failed
        h.run("NOSUCH"); // unknown: no command to count, an ERR
        h.run("CLIENT", "ID");
        String stats = info("commandstats");
        assertThat(stats)
                .containsPattern("cmdstat_set:calls=3,usec=\\d+,usec_per_call=\\d+\\.\\d\\d,"
                        + "rejected_calls=1,failed_calls=0\r\n");
        assertThat(stats).contains("rejected_calls=0,failed_calls=1\r\n").contains("cmdstat_incr:calls=1,");
        assertThat(stats).contains("cmdstat_client|id:calls=1,").doesNotContain("cmdstat_client:");
        assertThat(info("errorstats")).contains("errorstat_ERR:count=3\r\n");
        assertThat(info("stats")).contains("total_error_replies:3\r\n");
        assertThat(h.run("CONFIG", "RESETSTAT")).isEqualTo(OK);
        assertThat(info("commandstats")).doesNotContain("cmdstat_set").doesNotContain("cmdstat_incr");
        assertThat(info("errorstats")).doesNotContain("errorstat_");
        assertThat(info("stats")).contains("total_error_replies:0\r\n");
    }

    @Test
    void aTransactionsCommandsCountWhenExecRunsThem() {
        h.run("CONFIG", "RESETSTAT");
        h.run("MULTI");
        h.run("SET", "a", "1");
        h.run("INCR", "a");
        assertThat(info("commandstats")).doesNotContain("cmdstat_set");
        h.run("EXEC");
        h.run("MULTI");
        h.run("GET"); // refused while queuing: the EXEC aborts
        h.run("EXEC");
        String stats = info("commandstats");
        assertThat(stats).contains("cmdstat_set:calls=1,").contains("cmdstat_incr:calls=1,");
        assertThat(stats).contains("cmdstat_multi:calls=2,");
        assertThat(stats).containsPattern("cmdstat_exec:calls=2,[^\r]*,rejected_calls=0,failed_calls=1\r\n");
        assertThat(stats).containsPattern("cmdstat_get:calls=0,[^\r]*,rejected_calls=1,failed_calls=0\r\n");
        assertThat(info("errorstats"))
                .contains("errorstat_EXECABORT:count=1\r\n")
                .contains("errorstat_ERR:count=1\r\n");
    }

    /** As redis-server 7.0.15 counts the same six scripts (checked with them). */
    @Test
    void aScriptsErrorsCountOnceAndTheScriptFails() {
        h.run("SET", "s", "abc");
        h.run("CONFIG", "RESETSTAT");
        h.run("EVAL", "error('boom')", "0");
        h.run("EVAL", "return redis.error_reply('MY err')", "0");
        h.run("EVAL", "return redis.call('incr','s')", "0"); // counted by INCR, not again
        h.run("EVAL", "return redis.pcall('incr','s')", "0"); // the same
        h.run("EVAL", "return {1, redis.error_reply('NEST x')}", "0");
        h.run("EVAL", "return 1", "0");
        String stats = info("commandstats");
        assertThat(stats).containsPattern("cmdstat_eval:calls=6,[^\r]*,rejected_calls=0,failed_calls=5\r\n");
        assertThat(stats).containsPattern("cmdstat_incr:calls=2,[^\r]*,rejected_calls=0,failed_calls=2\r\n");
        assertThat(info("errorstats"))
                .contains("errorstat_ERR:count=3\r\n")
                .contains("errorstat_MY:count=1\r\n")
                .contains("errorstat_NEST:count=1\r\n");
        assertThat(info("stats")).contains("total_error_replies:5\r\n");
    }

    /** INFO persistence's rdb_changes_since_last_save: the keys written since SAVE, as Redis's dirty counter. */
    @Test
    void changesSinceTheLastSaveCountTheKeysWritten() {
        h.run("SAVE");
        assertThat(changes()).isZero();
        h.run("SET", "a", "1");
        h.run("MSET", "b", "1", "c", "2");
        h.run("SETBIT", "d", "0", "0"); // a new key
        h.run("BITFIELD", "e", "SET", "i5", "0", "0");
        assertThat(changes()).isEqualTo(5);
        h.run("SETBIT", "d", "0", "0"); // no change
        h.run("BITFIELD", "e", "SET", "i5", "0", "0");
        h.run("DEL", "nosuch");
        assertThat(changes()).as("nothing written").isEqualTo(5);
        h.run("DEL", "a", "b");
        assertThat(changes()).isEqualTo(7);
        h.run("SAVE");
        assertThat(changes()).isZero();
    }

    private long changes() {
        String persistence = info("persistence");
        int at = persistence.indexOf("rdb_changes_since_last_save:") + "rdb_changes_since_last_save:".length();
        return Long.parseLong(persistence.substring(at, persistence.indexOf('\r', at)));
    }

    @Test
    void errorCodesAreTheRepliesFirstWords() {
        assertThat(ErrorStats.code("WRONGTYPE Operation against a key")).isEqualTo("WRONGTYPE");
        assertThat(ErrorStats.code("NOPERM User has no permissions")).isEqualTo("NOPERM");
        assertThat(ErrorStats.code("no-space-here")).isEqualTo("ERR");
        assertThat(ErrorStats.code("A".repeat(40) + " far")).isEqualTo("ERR");
        ErrorStats e = new ErrorStats();
        for (int i = 0; i < ErrorStats.MAX_KINDS + 10; i++) {
            e.count("CODE" + i + " x");
        }
        assertThat(e.snapshot()).hasSize(ErrorStats.MAX_KINDS);
    }

    @Test
    void latencyPercentilesFollowTheirParameters() {
        h.run("CONFIG", "RESETSTAT");
        h.run("SET", "a", "b");
        assertThat(info("latencystats"))
                .containsPattern("latency_percentiles_usec_set:p50=\\d+\\.\\d{3},"
                        + "p99=\\d+\\.\\d{3},p99\\.9=\\d+\\.\\d{3}\r\n");
        assertThat(h.run("CONFIG", "SET", "latency-tracking-info-percentiles", "0.0 50.0 100.0"))
                .isEqualTo(OK);
        assertThat(h.run("CONFIG", "GET", "latency-tracking-info-percentiles")).contains("0 50 100");
        assertThat(info("latencystats")).containsPattern("latency_percentiles_usec_set:p0=[^,]+,p50=[^,]+,p100=");
        assertThat(h.run("CONFIG", "SET", "latency-tracking-info-percentiles", "10 101"))
                .startsWith(
                        "-ERR CONFIG SET failed (possibly related to argument 'latency-tracking-info-percentiles')");
        assertThat(h.run("CONFIG", "GET", "latency-tracking-info-percentiles")).contains("0 50 100");
        h.run("CONFIG", "RESETSTAT");
        h.run("CONFIG", "SET", "latency-tracking", "no");
        h.run("SET", "a", "b");
        assertThat(info("latencystats")).doesNotContain("latency_percentiles_usec_set");
        assertThat(info("commandstats")).contains("cmdstat_set:calls=1,");
    }

    @Test
    void infoSectionsAsRedisSelectsThem() {
        String defaults = h.run("INFO");
        assertThat(defaults).contains("# Server", "# Errorstats", "# Keyspace", "# Strata", "master_repl_offset:0");
        assertThat(defaults).doesNotContain("# Commandstats").doesNotContain("# Latencystats");
        String all = h.run("INFO", "all");
        assertThat(all).contains("# Commandstats", "# Latencystats", "rejected_calls");
        assertThat(h.run("INFO", "everything")).contains("# Commandstats");
        String two = h.run("INFO", "CPU", "cpu", "Server");
        assertThat(two).contains("# CPU", "# Server").doesNotContain("# Memory");
        assertThat(two.indexOf("# Server")).isLessThan(two.indexOf("# CPU"));
        assertThat(two.split("used_cpu_user_children", -1)).hasSize(2);
        assertThat(h.run("INFO", "nosuch")).isEqualTo("$0\r\n\r\n");
    }
}
