package io.strata.server;

import static io.strata.server.CommandHarness.NIL;
import static io.strata.server.CommandHarness.OK;
import static io.strata.server.CommandHarness.bulk;
import static io.strata.server.CommandHarness.error;
import static io.strata.server.CommandHarness.integer;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.server.script.Script;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT through the dispatcher: the conversions between
 * Lua and RESP, the redis library, errors and the script cache, each reply byte for byte as
 * redis-server 7.0.15 sends it (recorded from one; a Strata difference says so).
 */
class ScriptingTest extends WithCommandHarness {
    /** Redis's reply for a script that failed: its error, the script's SHA1 and the line. */
    static String failed(String text, String body, int line) {
        return error(text + " script: " + sha(body) + ", on @user_script:" + line + ".");
    }

    static String sha(String body) {
        return Script.compile(body.getBytes(StandardCharsets.UTF_8)).sha();
    }

    String eval(String body, String... keysThenArgs) {
        String[] argv = new String[keysThenArgs.length + 2];
        argv[0] = "EVAL";
        argv[1] = body;
        System.arraycopy(keysThenArgs, 0, argv, 2, keysThenArgs.length);
        return h.run(argv);
    }

    @Test
    void luaValuesBecomeRedisRepliesAsInRedis() {
        assertThat(eval("return 1", "0")).isEqualTo(integer(1));
        assertThat(eval("return {1,2,{3,'x'},nil,4}", "0"))
                .as("an array ends at its first nil")
                .isEqualTo("*3\r\n:1\r\n:2\r\n*2\r\n:3\r\n$1\r\nx\r\n");
        assertThat(eval("return 3.99", "0")).as("a number is truncated").isEqualTo(integer(3));
        assertThat(eval("return -3.99", "0")).isEqualTo(integer(-3));
        assertThat(eval("return 1e20", "0")).as("C's cast past the range").isEqualTo(":-9223372036854775808\r\n");
        assertThat(eval("return true", "0")).isEqualTo(integer(1));
        assertThat(eval("return false", "0")).isEqualTo(NIL);
        assertThat(eval("return nil", "0")).isEqualTo(NIL);
        assertThat(eval("return {1,false,3}", "0")).isEqualTo("*3\r\n:1\r\n$-1\r\n:3\r\n");
        assertThat(eval("return {ok='FINE'}", "0")).isEqualTo("+FINE\r\n");
        assertThat(eval("return redis.status_reply('FINE')", "0")).isEqualTo("+FINE\r\n");
        assertThat(eval("return {err='BAD thing'}", "0")).isEqualTo(error("BAD thing"));
        assertThat(eval("return redis.error_reply('My err')", "0")).isEqualTo(error("My err"));
        assertThat(eval("return redis.error_reply('-My err')", "0")).isEqualTo(error("My err"));
        assertThat(eval("return {1, redis.error_reply('x'), 2}", "0")).isEqualTo("*3\r\n:1\r\n-ERR x\r\n:2\r\n");
        assertThat(eval("return {1.5, 'a', {a=1}}", "0")).isEqualTo("*3\r\n:1\r\n$1\r\na\r\n*0\r\n");
        assertThat(eval("return 'a\\0b'", "0")).as("binary safe").isEqualTo("$3\r\na\0b\r\n");
        assertThat(eval("return {double=3.5}", "0")).isEqualTo(bulk("3.5"));
        assertThat(eval("return {map={a=1}}", "0")).isEqualTo("*2\r\n$1\r\na\r\n:1\r\n");
        assertThat(eval("return {set={a=true}}", "0")).isEqualTo("*1\r\n$1\r\na\r\n");
        assertThat(eval("return {big_number='123'}", "0")).isEqualTo(bulk("123"));
        assertThat(eval("return {KEYS[1],ARGV[1],#KEYS,#ARGV}", "1", "k1", "a1"))
                .isEqualTo("*4\r\n$2\r\nk1\r\n$2\r\na1\r\n:1\r\n:1\r\n");
    }

    @Test
    void resp3ClientsGetResp3TypesAndSetrespChangesWhatCallsReturn() {
        h.run("HELLO", "3");
        assertThat(eval("return true", "0")).isEqualTo(integer(1));
        assertThat(eval("return false", "0")).isEqualTo("_\r\n");
        assertThat(eval("return {double=3.5}", "0")).isEqualTo(",3.5\r\n");
        assertThat(eval("return {map={a=1}}", "0")).isEqualTo("%1\r\n$1\r\na\r\n:1\r\n");
        assertThat(eval("return {set={a=true}}", "0")).isEqualTo("~1\r\n$1\r\na\r\n");
        assertThat(eval("return {big_number='123'}", "0")).isEqualTo("(123\r\n");
        assertThat(eval("return {1,false,3}", "0")).isEqualTo("*3\r\n:1\r\n_\r\n:3\r\n");
        assertThat(eval(
                        "redis.setresp(3) return {redis.call('get','nokey') == nil, type(redis.call('get','nokey'))}",
                        "0"))
                .isEqualTo("*2\r\n#t\r\n$3\r\nnil\r\n");
        assertThat(eval("return {type(redis.call('get','nokey'))}", "0")).isEqualTo("*1\r\n$7\r\nboolean\r\n");
        assertThat(eval("return redis.setresp(4)", "0"))
                .isEqualTo(failed("ERR RESP version must be 2 or 3.", "return redis.setresp(4)", 1));
    }

    @Test
    void redisCallRunsCommandsAndConvertsTheirReplies() {
        assertThat(eval("return redis.call('get','nokey')", "0")).isEqualTo(NIL);
        assertThat(eval("return redis.call('set','k','v')", "0")).isEqualTo(OK);
        assertThat(h.run("GET", "k")).isEqualTo(bulk("v"));
        assertThat(eval("local r = redis.call('ping') return type(r)..' '..r.ok", "0"))
                .isEqualTo(bulk("table PONG"));
        assertThat(eval("return redis.call('ping','x')", "0")).isEqualTo(bulk("x"));
        assertThat(eval("return redis.call('set','n',3.0)", "0")).isEqualTo(OK);
        assertThat(h.run("GET", "n")).as("a number argument as Lua writes it").isEqualTo(bulk("3"));
        eval("return redis.call('set','n',1e20)", "0");
        assertThat(h.run("GET", "n")).isEqualTo(bulk("1e+20"));
        eval("return redis.call('set','n',1/3)", "0");
        assertThat(h.run("GET", "n"))
                .as("the shortest text that reads back, as Redis 7.2 (not Lua 5.1's 14 digits)")
                .isEqualTo(bulk("0.3333333333333333"));
        assertThat(eval("return redis.call('incr','k')", "0"))
                .isEqualTo(failed("ERR value is not an integer or out of range", "return redis.call('incr','k')", 1));
        assertThat(eval("return redis.pcall('incr','k')", "0"))
                .isEqualTo(error("ERR value is not an integer or out of range"));
        assertThat(eval("local r = redis.pcall('incr','k') return r['err']", "0"))
                .isEqualTo(bulk("ERR value is not an integer or out of range"));
        assertThat(eval("return {pcall(redis.call, 'incr', 'k')}", "0"))
                .as("Redis's pcall gives an error reply's text")
                .isEqualTo("*2\r\n$-1\r\n$43\r\nERR value is not an integer or out of range\r\n");
        assertThat(eval("\n\nredis.call('incr','k')", "0"))
                .isEqualTo(failed("ERR value is not an integer or out of range", "\n\nredis.call('incr','k')", 3));
    }

    @Test
    void commandsAScriptMayNotRunAreRefusedWithRedisErrors() {
        assertThat(eval("return redis.call('nosuch')", "0"))
                .isEqualTo(failed("ERR Unknown Redis command called from script", "return redis.call('nosuch')", 1));
        assertThat(eval("return redis.pcall('nosuch')", "0"))
                .isEqualTo(error("ERR Unknown Redis command called from script"));
        assertThat(eval("return redis.call('get')", "0"))
                .isEqualTo(failed(
                        "ERR Wrong number of args calling Redis command from script", "return redis.call('get')", 1));
        assertThat(eval("return redis.call()", "0"))
                .isEqualTo(failed(
                        "ERR Please specify at least one argument for this redis lib call", "return redis.call()", 1));
        assertThat(eval("return redis.call('get',{})", "0"))
                .isEqualTo(failed(
                        "ERR Lua redis lib command arguments must be strings or integers",
                        "return redis.call('get',{})",
                        1));
        assertThat(eval("return redis.call('eval','return 1','0')", "0"))
                .isEqualTo(failed(
                        "ERR This Redis command is not allowed from script",
                        "return redis.call('eval','return 1','0')",
                        1));
        assertThat(eval("return redis.call('multi')", "0"))
                .isEqualTo(
                        failed("ERR This Redis command is not allowed from script", "return redis.call('multi')", 1));
    }

    @Test
    void scriptErrorsAreRedisErrorsWithTheScriptAndLine() {
        assertThat(eval("error('boom')", "0")).isEqualTo(failed("ERR user_script:1: boom", "error('boom')", 1));
        assertThat(eval("\n\nerror('x')", "0")).isEqualTo(failed("ERR user_script:3: x", "\n\nerror('x')", 3));
        assertThat(eval("\n\nerror('x', 0)", "0")).isEqualTo(failed("ERR x", "\n\nerror('x', 0)", 3));
        assertThat(eval("error({err='X y'})", "0")).isEqualTo(failed("X y", "error({err='X y'})", 1));
        assertThat(eval("local function f() error('in f') end\nf()", "0"))
                .isEqualTo(failed("ERR user_script:1: in f", "local function f() error('in f') end\nf()", 1));
        assertThat(eval("return syntax error here", "0"))
                .as("Redis (Lua 5.1) adds: near 'error'")
                .isEqualTo(error("ERR Error compiling script (new function): user_script:1: '<eof>' expected"));
        assertThat(eval("local a = x", "0"))
                .isEqualTo(failed(
                        "ERR user_script:1: Script attempted to access nonexistent global variable 'x'",
                        "local a = x",
                        1));
    }

    @Test
    void numkeysIsCheckedAsRedisDoes() {
        assertThat(eval("return 1", "2", "a"))
                .isEqualTo(error("ERR Number of keys can't be greater than number of args"));
        assertThat(eval("return 1", "-1")).isEqualTo(error("ERR Number of keys can't be negative"));
        assertThat(eval("return 1", "x")).isEqualTo(error("ERR value is not an integer or out of range"));
        assertThat(h.run("EVAL", "return 1")).isEqualTo(error("ERR wrong number of arguments for 'eval' command"));
    }

    @Test
    void scriptCacheLoadExistsFlushAndEvalsha() {
        String sha = "2f31ba2bb6d6a0f42cc159d2e2dad55440778de3";
        assertThat(h.run("EVALSHA", sha, "0")).isEqualTo(error(ScriptCommands.NOSCRIPT));
        assertThat(h.run("SCRIPT", "LOAD", "return 'hi'")).isEqualTo(bulk(sha));
        assertThat(h.run("EVALSHA", sha, "0")).isEqualTo(bulk("hi"));
        assertThat(h.run("EVALSHA", sha.toUpperCase(java.util.Locale.ROOT), "0"))
                .isEqualTo(bulk("hi"));
        assertThat(h.run("EVALSHA_RO", sha, "0")).isEqualTo(bulk("hi"));
        assertThat(h.run("SCRIPT", "EXISTS", sha, "ffffffffffffffffffffffffffffffffffffffff"))
                .isEqualTo("*2\r\n:1\r\n:0\r\n");
        eval("return 2", "0");
        assertThat(h.run("SCRIPT", "EXISTS", sha("return 2"))).as("EVAL caches").isEqualTo("*1\r\n:1\r\n");
        assertThat(h.run("INFO", "memory")).contains("number_of_cached_scripts:2\r\n");
        assertThat(h.run("SCRIPT", "FLUSH", "bogus"))
                .isEqualTo(error("ERR SCRIPT FLUSH only support SYNC|ASYNC option"));
        assertThat(h.run("SCRIPT", "FLUSH", "ASYNC")).isEqualTo(OK);
        assertThat(h.run("SCRIPT", "EXISTS", sha)).isEqualTo("*1\r\n:0\r\n");
        assertThat(h.run("INFO", "memory")).contains("number_of_cached_scripts:0\r\n");
        assertThat(h.run("SCRIPT", "KILL")).isEqualTo(error("NOTBUSY No scripts in execution right now."));
        assertThat(h.run("SCRIPT", "LOAD", "return (")).startsWith("-ERR Error compiling script (new function): ");
    }

    @Test
    void readOnlyScriptsAreRefusedWritesAndShebangFlagsAreRead() {
        h.run("SET", "k", "v");
        assertThat(h.run("EVAL_RO", "return redis.call('set','k','w')", "0"))
                .isEqualTo(failed(
                        "ERR Write commands are not allowed from read-only scripts.",
                        "return redis.call('set','k','w')",
                        1));
        assertThat(h.run("EVAL_RO", "return redis.call('get','k')", "0")).isEqualTo(bulk("v"));
        String noWrites = "#!lua flags=no-writes\nreturn redis.call('set','k','v')";
        assertThat(eval(noWrites, "0"))
                .isEqualTo(failed("ERR Write commands are not allowed from read-only scripts.", noWrites, 2));
        assertThat(eval("#!lua\nreturn redis.call('set','k','x')", "0")).isEqualTo(OK);
        assertThat(eval("#!lua flags=bogus\nreturn 1", "0"))
                .isEqualTo(error("ERR Unexpected flag in script shebang: bogus"));
        assertThat(eval("#!notlua\nreturn 1", "0"))
                .isEqualTo(error("ERR Unexpected engine in script shebang: #!notlua"));
    }

    @Test
    void theRedisLibraryAnswersAsRedis7() {
        assertThat(eval("return redis.sha1hex('')", "0")).isEqualTo(bulk("da39a3ee5e6b4b0d3255bfef95601890afd80709"));
        assertThat(eval("return redis.sha1hex()", "0"))
                .isEqualTo(failed("ERR wrong number of arguments", "return redis.sha1hex()", 1));
        assertThat(eval("return redis.error_reply()", "0")).isEqualTo(error("ERR wrong number or type of arguments"));
        assertThat(eval("return redis.status_reply()", "0")).isEqualTo(error("ERR wrong number or type of arguments"));
        assertThat(eval("return redis.log(redis.LOG_WARNING,'hello')", "0")).isEqualTo(NIL);
        assertThat(eval("return redis.log()", "0"))
                .isEqualTo(failed("ERR redis.log() requires two arguments or more.", "return redis.log()", 1));
        assertThat(eval("return redis.log(99,'x')", "0"))
                .isEqualTo(failed("ERR Invalid debug level.", "return redis.log(99,'x')", 1));
        assertThat(eval("return redis.set_repl(redis.REPL_ALL)", "0")).isEqualTo(NIL);
        assertThat(eval("return redis.replicate_commands()", "0")).isEqualTo(integer(1));
        assertThat(eval("return redis.setresp(2)", "0")).isEqualTo(NIL);
        assertThat(eval("return redis.REDIS_VERSION", "0")).isEqualTo(bulk(StrataServer.REDIS_VERSION));
    }

    @Test
    void lua51NamesAndNumberFormattingAreRedissLua() {
        assertThat(eval("return tostring(3)", "0")).isEqualTo(bulk("3"));
        assertThat(eval("return tostring(1e20)..' '..tostring(0.1)..' '..tostring(-1/0)", "0"))
                .isEqualTo(bulk("1e+20 0.1 -inf"));
        assertThat(eval(
                        "return tostring(1/3)..' '..tostring(123456789012345)..' '..tostring(2^53)..' '"
                                + "..tostring(-1.5e-7)",
                        "0"))
                .isEqualTo(bulk("0.33333333333333 1.2345678901234e+14 9.007199254741e+15 -1.5e-07"));
        assertThat(eval("return unpack({1,2,3})", "0")).isEqualTo(integer(1));
        assertThat(eval("return {unpack({1,2,3})}", "0")).isEqualTo("*3\r\n:1\r\n:2\r\n:3\r\n");
        assertThat(eval("return loadstring('return 1')()", "0")).isEqualTo(integer(1));
        assertThat(eval("return table.getn({1,2,3})", "0")).isEqualTo(integer(3));
        assertThat(eval("return _VERSION", "0")).isEqualTo(bulk("Lua 5.1"));
        assertThat(eval("return string.format('%d %s %5.2f', 3, 'x', 1.5)", "0"))
                .isEqualTo(bulk("3 x  1.50"));
        assertThat(eval("return ('x'):rep(3)", "0")).isEqualTo(bulk("xxx"));
        assertThat(eval("return math.mod(7, 3)", "0")).isEqualTo(integer(1));
    }

    @Test
    void mathRandomIsRedissGeneratorAndRandomseedResetsIt() {
        assertThat(eval("math.randomseed(0) return tostring(math.random())", "0"))
                .isEqualTo(bulk("0.17082803611217"));
        assertThat(eval("math.randomseed(0) math.random() return {math.random(10), math.random(5,9)}", "0"))
                .isEqualTo("*2\r\n:8\r\n:5\r\n");
    }

    @Test
    void cjsonAndBitAreThere() {
        assertThat(eval("return cjson.encode({1,2,3.5,'x',true,cjson.null,{}})", "0"))
                .isEqualTo(bulk("[1,2,3.5,\"x\",true,null,{}]"));
        assertThat(eval("return cjson.encode({a={b='c'}})", "0")).isEqualTo(bulk("{\"a\":{\"b\":\"c\"}}"));
        assertThat(eval(
                        "return cjson.encode(0.1)..' '..cjson.encode(1e20)..' '..cjson.encode(12345678901234)"
                                + "..' '..cjson.encode('a\"b/\\1')",
                        "0"))
                .isEqualTo(bulk("0.1 1e+20 12345678901234 \"a\\\"b\\/\\u0001\""));
        assertThat(eval("return cjson.encode({[1]=1,[3]=3})", "0")).isEqualTo(bulk("[1,null,3]"));
        assertThat(eval("return cjson.decode('[1,2,\"x\"]')", "0")).isEqualTo("*3\r\n:1\r\n:2\r\n$1\r\nx\r\n");
        assertThat(eval("return cjson.decode('{\"a\":[1,2,{\"b\":null}],\"c\":1.5}').a[3].b == cjson.null", "0"))
                .isEqualTo(integer(1));
        assertThat(eval("return cjson.decode('bad')", "0"))
                .isEqualTo(failed(
                        "ERR user_script:1: Expected value but found invalid token at character 1",
                        "return cjson.decode('bad')",
                        1));
        assertThat(eval(
                        "return bit.band(0xff, 0x0f)..' '..bit.tohex(255)..' '..bit.bor(1,2)..' '..bit.lshift(1,31)",
                        "0"))
                .isEqualTo(bulk("15 000000ff 3 -2147483648"));
    }

    @Test
    void bitTohexOfTheSmallestCountIsEightUpperCaseDigitsAsRedis72() {
        // LuaBitOp negates the count; Redis 7.2 takes INT32_MIN as INT32_MIN + 1 (no overflow).
        assertThat(eval("return bit.tohex(65535, -2147483648)", "0")).isEqualTo(bulk("0000FFFF"));
        assertThat(eval("return bit.tohex(65535, 2147483647)", "0")).isEqualTo(bulk("0000ffff"));
    }

    @Test
    void numbersAsRedisCallArgumentsAreTheShortestTextThatReadsBackAsRedis72Writes() {
        // 7.2 writes them with fpconv_dtoa (7.0: %.17g, 0.1 as 0.10000000000000001).
        assertThat(eval("redis.call('set','k',9007199254740991) return redis.call('get','k')", "0"))
                .isEqualTo(bulk("9007199254740991"));
        assertThat(eval(
                        "local t = {} for i, n in ipairs({0.1, -0.0003, 1e21, 123456789012345680000, 1.5e-7, 1/0,"
                                + " -2^63, 0.000123}) do redis.call('set','k',n) t[i] = redis.call('get','k') end"
                                + " return t",
                        "0"))
                .isEqualTo("*8\r\n" + bulk("0.1") + bulk("-0.0003") + bulk("1e+21") + bulk("123456789012345680000")
                        + bulk("1.5e-7") + bulk("inf") + bulk("-9223372036854776000") + bulk("0.000123"));
    }

    @Test
    void tableConcatWritesNumbersAsLua51() {
        assertThat(eval("return table.concat({0.0003, 1.5, 1e20, -0.5, 2^53, 7}, ' ')", "0"))
                .isEqualTo(bulk("0.0003 1.5 1e+20 -0.5 9.007199254741e+15 7"));
        assertThat(eval("return table.concat({'a', 2, 'c'}, 0.5, 2)", "0")).isEqualTo(bulk("20.5c"));
        assertThat(eval("return table.concat(cjson.decode('[0.0, -5e3, -1, 0.3e-3, 1023.2, 0e10]'), ' ')", "0"))
                .isEqualTo(bulk("0 -5000 -1 0.0003 1023.2 0"));
        assertThat(eval("return table.concat({1, {}})", "0"))
                .isEqualTo(failed(
                        "ERR user_script:1: invalid value (table) at index 2 in table for 'concat'",
                        "return table.concat({1, {}})",
                        1));
    }

    @Test
    void typeErrorsAreWordedAsLua51() {
        // Lua 5.1 names a variable where it knows one (local 'x'); luaj does not, so these have none.
        String[][] cases = {
            {"return (nil)()", "attempt to call a nil value"},
            {"return ('a')()", "attempt to call a string value"},
            {"return #nil", "attempt to get length of a nil value"},
            {"return 1 + {}", "attempt to perform arithmetic on a table value"},
            {"return true * 2", "attempt to perform arithmetic on a boolean value"},
            {"return -{}", "attempt to perform arithmetic on a table value"},
            {"return (nil).x", "attempt to index a nil value"},
            {"return 'a' .. {}", "attempt to concatenate a table value"},
            {"return {} .. 'a'", "attempt to concatenate a table value"},
            {"return {} < {}", "attempt to compare two table values"},
            {"return {} < 1", "attempt to compare table with number"},
            {"return 1 < 'x'", "attempt to compare number with string"},
            {"return 'x' < 1", "attempt to compare string with number"},
        };
        for (String[] c : cases) {
            assertThat(eval(c[0], "0")).as(c[0]).isEqualTo(failed("ERR user_script:1: " + c[1], c[0], 1));
        }
    }

    @Test
    void waitMayRunInAScriptAndAnswersAtOnceAsRedis72() {
        // 7.2 dropped WAIT's noscript flag (7.0: "This Redis command is not allowed from script").
        assertThat(eval("return redis.pcall('wait','1','0')", "0")).isEqualTo(integer(0));
    }

    @Test
    void aScriptErrorAfterAWriteKeepsTheWriteAsRedis7() {
        assertThat(eval("redis.call('set','w','1') error('after')", "0"))
                .isEqualTo(failed("ERR user_script:1: after", "redis.call('set','w','1') error('after')", 1));
        assertThat(h.run("GET", "w")).isEqualTo(bulk("1"));
    }

    @Test
    void readsInsideAScriptSeeItsOwnWritesAndOthersSeeThemOnlyAfter() {
        h.run("SET", "c", "1");
        assertThat(eval(
                        "redis.call('incr', KEYS[1]) redis.call('incr', KEYS[1]) return redis.call('get', KEYS[1])",
                        "1",
                        "c"))
                .isEqualTo(bulk("3"));
        assertThat(eval("redis.call('del','c') return redis.call('exists','c')", "0"))
                .isEqualTo(integer(0));
        assertThat(h.run("EXISTS", "c")).isEqualTo(integer(0));
    }

    @Test
    void anEvalQueuedInATransactionSeesItsEarlierWritesAndJoinsItsBatch() {
        assertThat(h.run("MULTI")).isEqualTo(OK);
        assertThat(h.run("SET", "a", "1")).isEqualTo(TransactionsTest.QUEUED);
        assertThat(h.run("EVAL", "return redis.call('incr', KEYS[1])", "1", "a"))
                .isEqualTo(TransactionsTest.QUEUED);
        assertThat(h.connect().run("GET", "a")).as("nothing runs before EXEC").isEqualTo(NIL);
        assertThat(h.run("EXEC")).isEqualTo("*2\r\n" + OK + integer(2));
        assertThat(h.run("GET", "a")).isEqualTo(bulk("2"));
    }

    @Test
    void configGetAndSetBusyReplyThreshold() {
        assertThat(h.run("CONFIG", "GET", "busy-reply-threshold"))
                .isEqualTo("*2\r\n" + bulk("busy-reply-threshold") + bulk("5000"));
        assertThat(h.run("CONFIG", "SET", "lua-time-limit", "200")).isEqualTo(OK);
        assertThat(h.run("CONFIG", "GET", "busy-reply-threshold"))
                .isEqualTo("*2\r\n" + bulk("busy-reply-threshold") + bulk("200"));
    }
}
