package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;

/** Write filters in the server: every path that stores a value, replies, and configuration. */
class WriteFilterServerTest {
    static final String REJECTED = "ERR write rejected by filter 'json': value is not valid JSON";

    @TempDir
    Path dir;

    TestServer server;
    Jedis j;

    @BeforeEach
    void start() {
        server = TestServer.start(
                dir,
                c -> c.writeFilter("json")
                        .writeFilterOption("json", "prefix", "doc:")
                        .writeFilterOption("json", "redact", "password")
                        .writeFilter("tag"));
        j = new Jedis("127.0.0.1", server.port());
    }

    @AfterEach
    void stop() {
        j.close();
        server.close();
    }

    private void rejected(Runnable command) {
        assertThatThrownBy(command::run).isInstanceOf(JedisDataException.class).hasMessage(REJECTED);
    }

    @Test
    void everyValueWritingCommandIsFiltered() {
        assertThat(j.set("doc:1", "{\"a\":1}")).isEqualTo("OK");
        rejected(() -> j.set("doc:2", "nope"));
        assertThat(j.exists("doc:2")).isFalse();
        assertThat(j.set("other", "nope")).isEqualTo("OK"); // outside the prefix
        // NX on an existing key writes nothing, so there is nothing to filter
        assertThat(j.set("doc:1", "nope", SetParams.setParams().nx().ex(10))).isNull();
        rejected(() -> j.set("doc:1", "nope", SetParams.setParams().xx().ex(10)));
        rejected(() -> j.setGet("doc:1", "nope"));
        rejected(() -> j.setnx("doc:3", "nope"));
        rejected(() -> j.setex("doc:3", 10, "nope"));
        rejected(() -> j.psetex("doc:3", 10_000, "nope"));
        rejected(() -> j.getSet("doc:1", "nope"));
        rejected(() -> j.append("doc:1", "x")); // the result would not be JSON
        rejected(() -> j.setrange("doc:1", 0, "["));
        assertThat(j.get("doc:1")).isEqualTo("{\"a\":1}");
        assertThat(j.exists("doc:3")).isFalse();
        assertThat(j.incr("doc:n")).isEqualTo(1); // "1" is JSON
        assertThat(j.append("doc:n", "0")).isEqualTo(2); // "10" still is
        assertThat(j.get("doc:n")).isEqualTo("10");

        // MSET and MSETNX: all or nothing
        rejected(() -> j.mset("plain", "1", "doc:4", "{}", "doc:5", "bad"));
        assertThat(j.exists("plain", "doc:4", "doc:5")).isEqualTo(0L);
        rejected(() -> j.msetnx("plain", "1", "doc:5", "bad"));
        assertThat(j.exists("plain")).isFalse();
        assertThat(j.mset("plain", "1", "doc:4", "{}")).isEqualTo("OK");

        // expiry-only changes do not consult the filters
        assertThat(j.set("other2", "x")).isEqualTo("OK");
        assertThat(j.expire("doc:1", 100)).isEqualTo(1);
        assertThat(j.persist("doc:1")).isEqualTo(1);
        assertThat(j.getEx(
                        "doc:1",
                        redis.clients.jedis.params.GetExParams.getExParams().ex(50)))
                .isEqualTo("{\"a\":1}");
        assertThat(j.del("doc:1")).isEqualTo(1);
    }

    @Test
    void pipelinedBatchedWritesReplyInOrder() {
        Pipeline p = j.pipelined();
        Response<String> a = p.set("doc:a", "{\"n\":1}");
        Response<String> b = p.set("doc:b", "broken");
        Response<String> c = p.set("doc:c", "[true]");
        Response<String> d = p.mset("doc:d", "1", "doc:e", "{");
        Response<String> e = p.setex("doc:f", 100, "{\"password\":\"x\",\"k\":2}");
        Response<String> f = p.set("tag:t", "hello");
        p.sync();
        assertThat(a.get()).isEqualTo("OK");
        assertThatThrownBy(b::get).hasMessage(REJECTED);
        assertThat(c.get()).isEqualTo("OK");
        assertThatThrownBy(d::get).hasMessage(REJECTED);
        assertThat(e.get()).isEqualTo("OK");
        assertThat(f.get()).isEqualTo("OK");
        assertThat(j.mget("doc:a", "doc:b", "doc:c", "doc:d", "doc:e"))
                .containsExactly("{\"n\":1}", null, "[true]", null, null);
        assertThat(j.get("doc:f")).isEqualTo("{\"password\":\"[REDACTED]\",\"k\":2}"); // rewritten in the batch too
        assertThat(j.ttl("doc:f")).isPositive();
        assertThat(j.get("tag:t")).isEqualTo("hello!"); // the second filter, from ServiceLoader
    }

    @Test
    void rewritesAndTheSecondFilter() throws Exception {
        assertThat(j.set("doc:u", "{\"user\":\"ada\",\"password\":\"hunter2\"}"))
                .isEqualTo("OK");
        assertThat(j.get("doc:u")).isEqualTo("{\"user\":\"ada\",\"password\":\"[REDACTED]\"}");
        assertThatThrownBy(() -> j.set("tag:1", "forbidden fruit"))
                .hasMessage("ERR write rejected by filter 'tag': the value contains a forbidden word");
        try (var c = server.raw()) {
            c.command("SET", "doc:x", "{oops");
            assertThat(c.reply()).isEqualTo("-" + REJECTED + "\r\n");
            c.command("SET", "tag:x", "v");
            assertThat(c.reply()).isEqualTo("+OK\r\n");
            c.command("GET", "tag:x");
            assertThat(c.reply()).isEqualTo("$2\r\nv!\r\n");
        }
        assertThat(j.configGet("strata-write-filters")).containsEntry("strata-write-filters", "json tag");
    }

    @Test
    void commandLineOptions() {
        ServerMain cmd = new ServerMain();
        new CommandLine(cmd)
                .parseArgs(
                        "--write-filter",
                        "json",
                        "--write-filter-option",
                        "json.prefix=doc:",
                        "--write-filter-option",
                        "json.redact=password",
                        "--write-filter-option",
                        "json.redact=token");
        ServerConfig c = cmd.config();
        assertThat(c.writeFilters()).containsExactly("json");
        assertThat(c.writeFilterOptions().get("json"))
                .containsEntry("prefix", List.of("doc:"))
                .containsEntry("redact", List.of("password", "token"));

        ServerMain unknown = new ServerMain();
        new CommandLine(unknown).parseArgs("--write-filter", "nosuch");
        assertThatThrownBy(unknown::config)
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("unknown write filter 'nosuch'");
        ServerMain badOption = new ServerMain();
        new CommandLine(badOption).parseArgs("--write-filter", "json", "--write-filter-option", "json.bogus=1");
        assertThatThrownBy(badOption::config)
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("has no option 'bogus'");
        ServerMain orphan = new ServerMain();
        new CommandLine(orphan).parseArgs("--write-filter-option", "json.prefix=x");
        assertThatThrownBy(orphan::config)
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("not enabled");
    }
}
