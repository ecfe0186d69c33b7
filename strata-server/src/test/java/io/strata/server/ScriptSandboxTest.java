package io.strata.server;

import static io.strata.server.CommandHarness.NIL;
import static io.strata.server.CommandHarness.bulk;
import static io.strata.server.CommandHarness.integer;
import static io.strata.server.ScriptingTest.failed;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * What a script cannot reach or change, with Redis 7's errors: nothing outside the server (no
 * os, io, require, loadfile, dofile, print, debug, package), no global and no library table it
 * may change, no binary code it may load, no clock but TIME's.
 */
class ScriptSandboxTest extends WithCommandHarness {
    private String eval(String body) {
        return h.run("EVAL", body, "0");
    }

    private static String noGlobal(String name, String body) {
        return failed(
                "ERR user_script:1: Script attempted to access nonexistent global variable '" + name + "'", body, 1);
    }

    @Test
    void nothingOutsideTheServerIsReachable() {
        for (String[] escape : new String[][] {
            {"os", "os.execute('touch /tmp/strata-lua-escape')"},
            {"io", "return io.open('/etc/passwd')"},
            {"require", "return require('os')"},
            {"loadfile", "return loadfile('/etc/passwd')"},
            {"dofile", "return dofile('/etc/passwd')"},
            {"debug", "return debug.getinfo(1)"},
            {"package", "return package.loaded"},
            {"print", "print('x')"},
            {"getfenv", "return getfenv(1)"},
            {"luajava", "return luajava.bindClass('java.lang.System')"},
        }) {
            assertThat(eval(escape[1])).as(escape[1]).isEqualTo(noGlobal(escape[0], escape[1]));
        }
        assertThat(new java.io.File("/tmp/strata-lua-escape")).doesNotExist();
    }

    @Test
    void globalsAndLibraryTablesAreReadOnly() {
        String readonly = "Attempt to modify a readonly table";
        assertThat(eval("x = 1")).isEqualTo(failed("ERR user_script:1: " + readonly, "x = 1", 1));
        assertThat(eval("_G.x = 1")).isEqualTo(failed("ERR user_script:1: " + readonly, "_G.x = 1", 1));
        assertThat(eval("string.x = 1")).isEqualTo(failed("ERR user_script:1: " + readonly, "string.x = 1", 1));
        assertThat(eval("redis.call = nil")).isEqualTo(failed("ERR user_script:1: " + readonly, "redis.call = nil", 1));
        assertThat(eval("rawset(_G, 'x', 1)")).isEqualTo(failed("ERR " + readonly, "rawset(_G, 'x', 1)", 1));
        assertThat(eval("setmetatable(_G, nil)")).isEqualTo(failed("ERR " + readonly, "setmetatable(_G, nil)", 1));
        assertThat(eval("table.insert(_G, 1)")).isEqualTo(failed("ERR " + readonly, "table.insert(_G, 1)", 1));
        assertThat(eval("getmetatable('').__index = {}"))
                .isEqualTo(failed("ERR user_script:1: " + readonly, "getmetatable('').__index = {}", 1));
        assertThat(eval("return getmetatable('').__index == string")).isEqualTo(integer(1));
        assertThat(eval("return rawget(_G, 'nope')")).isEqualTo(NIL);
        assertThat(eval("local t = {} t.x = 1 return t.x"))
                .as("a script's own tables are its own")
                .isEqualTo(integer(1));
        assertThat(eval("return KEYS[1]"))
                .as("KEYS of the script before are gone")
                .isEqualTo(NIL);
    }

    @Test
    void loadedCodeRunsInTheSameSandboxAndBinaryCodeIsRefused() {
        assertThat(eval("return loadstring('x = 1')()"))
                .as("Redis ends with: on x = 1:1.")
                .isEqualTo(failed(
                        "ERR [string \"x = 1\"]:1: Attempt to modify a readonly table",
                        "return loadstring('x = 1')()",
                        1));
        assertThat(eval("return load('return os', 'chunk', 't', {os = 1})()"))
                .as("Lua 5.2's environment argument is not taken: the code sees the scripts' globals")
                .isEqualTo(failed(
                        "ERR [string \"chunk\"]:1: Script attempted to access nonexistent global variable 'os'",
                        "return load('return os', 'chunk', 't', {os = 1})()",
                        1));
        assertThat(eval("local f = loadstring(string.dump(function() return 1 end)) return type(f)"))
                .isEqualTo(bulk("nil"));
        assertThat(eval("return {loadstring('return (')}")).isEqualTo("*0\r\n");
        assertThat(eval("return collectgarbage('count')"))
                .as("no script runs a full GC")
                .isEqualTo(integer(0));
    }

    @Test
    void aTableHoldingItselfIsRefusedNotOverflowed() {
        assertThat(eval("local t = {} t[1] = t return t"))
                .startsWith("*1\r\n*1\r\n")
                .endsWith("-ERR reached lua stack limit\r\n");
        assertThat(eval("local function f() return f() + 1 end return f()"))
                .startsWith("-ERR ")
                .contains("stack overflow");
    }
}
