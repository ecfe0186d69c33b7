package io.strata.server.script;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code redis} library of Redis 7's scripts: call and pcall (through the run's
 * {@link ScriptHost}), error_reply, status_reply, sha1hex, log, setresp, acl_check_cmd, the
 * replication controls (no-ops: a script's writes are replicated as one entry of its effects),
 * breakpoint and debug (no-ops outside Redis's debugger, which Strata lacks), and the LOG_*,
 * REPL_* and version constants. Errors and replies are Redis's, word for word.
 */
final class RedisLib {
    private RedisLib() {}

    private static final Logger log = LoggerFactory.getLogger("io.strata.server.script");

    static LuaTable create(LuaSandbox sandbox, String redisVersion) {
        LuaTable redis = new LuaTable();
        redis.rawset("call", new Call(sandbox, true));
        redis.rawset("pcall", new Call(sandbox, false));
        redis.rawset(
                "error_reply",
                fn(args -> args.narg() == 1 && args.arg1().type() == LuaValue.TSTRING
                        ? RespToLua.tagged(
                                "err", LuaValue.valueOf(errorText(args.arg1().tojstring())))
                        : wrongArguments()));
        redis.rawset(
                "status_reply",
                fn(args -> args.narg() == 1 && args.arg1().type() == LuaValue.TSTRING
                        ? RespToLua.tagged("ok", args.arg1())
                        : wrongArguments()));
        redis.rawset("sha1hex", fn(args -> {
            if (args.narg() != 1) {
                throw raise("ERR wrong number of arguments");
            }
            return LuaValue.valueOf(sha1hex(bytes(args.arg1())));
        }));
        redis.rawset("log", fn(RedisLib::log));
        redis.rawset("setresp", fn(args -> {
            if (args.narg() != 1) {
                throw raise("ERR redis.setresp() requires one argument.");
            }
            int resp = args.checkint(1);
            if (resp != 2 && resp != 3) {
                throw raise("ERR RESP version must be 2 or 3.");
            }
            sandbox.current().resp = resp;
            return LuaValue.NONE;
        }));
        redis.rawset("acl_check_cmd", fn(args -> {
            if (args.narg() < 1) {
                throw raise("ERR Please specify at least one argument for this redis lib call");
            }
            Boolean permitted = sandbox.current().host.permitted(Call.argv(args));
            if (permitted == null) {
                throw raise("ERR Invalid command passed to redis.acl_check_cmd()");
            }
            return LuaValue.valueOf(permitted);
        }));
        redis.rawset("set_repl", fn(args -> {
            if (args.narg() != 1) {
                throw raise("ERR redis.set_repl() requires one argument.");
            }
            return LuaValue.NONE;
        }));
        redis.rawset("replicate_commands", fn(args -> LuaValue.TRUE));
        redis.rawset("breakpoint", fn(args -> LuaValue.FALSE));
        redis.rawset("debug", fn(args -> LuaValue.NONE));
        String[] logs = {"LOG_DEBUG", "LOG_VERBOSE", "LOG_NOTICE", "LOG_WARNING"};
        for (int i = 0; i < logs.length; i++) {
            redis.rawset(logs[i], LuaValue.valueOf(i));
        }
        redis.rawset("REPL_NONE", LuaValue.valueOf(0));
        redis.rawset("REPL_AOF", LuaValue.valueOf(1));
        redis.rawset("REPL_SLAVE", LuaValue.valueOf(2));
        redis.rawset("REPL_REPLICA", LuaValue.valueOf(2));
        redis.rawset("REPL_ALL", LuaValue.valueOf(3));
        redis.rawset("REDIS_VERSION", LuaValue.valueOf(redisVersion));
        redis.rawset("REDIS_VERSION_NUM", LuaValue.valueOf(versionNumber(redisVersion)));
        return redis;
    }

    private interface Body {
        Varargs apply(Varargs args);
    }

    private static VarArgFunction fn(Body body) {
        return new VarArgFunction() {
            @Override
            public Varargs invoke(Varargs args) {
                return body.apply(args);
            }
        };
    }

    /** An error raised as Redis's library raises it: a table whose err field is the reply's text. */
    static LuaError raise(String text) {
        return new LuaError(RespToLua.tagged("err", LuaValue.valueOf(text)));
    }

    private static LuaValue wrongArguments() {
        return RespToLua.tagged("err", LuaValue.valueOf("ERR wrong number or type of arguments"));
    }

    /**
     * redis.error_reply's text, as Redis's luaPushErrorBuff makes it: without its leading
     * {@code -}, its first word is the error code, unless it is one word (then the code is ERR).
     */
    static String errorText(String s) {
        String body = s.startsWith("-") ? s.substring(1) : s;
        return body.contains(" ") ? body : "ERR " + body;
    }

    /** A string or number argument's bytes (a number as Lua 5.1 writes it); null for any other value. */
    static byte[] bytes(LuaValue v) {
        if (v.type() == LuaValue.TSTRING) {
            LuaString s = v.checkstring();
            return java.util.Arrays.copyOfRange(s.m_bytes, s.m_offset, s.m_offset + s.m_length);
        }
        if (v.type() == LuaValue.TNUMBER) {
            return LuaNumbers.format(v.todouble()).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
        return null;
    }

    static String sha1hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    private static Varargs log(Varargs args) {
        if (args.narg() < 2) {
            throw raise("ERR redis.log() requires two arguments or more.");
        }
        if (args.arg1().type() != LuaValue.TNUMBER) {
            throw raise("ERR First argument must be a number (log level).");
        }
        int level = args.arg1().toint();
        if (level < 0 || level > 3) {
            throw raise("ERR Invalid debug level.");
        }
        StringBuilder text = new StringBuilder();
        for (int i = 2; i <= args.narg(); i++) {
            byte[] b = bytes(args.arg(i));
            if (b != null) {
                text.append(i > 2 ? " " : "").append(new String(b, java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        switch (level) {
            case 0, 1 -> log.debug("script: {}", text);
            case 2 -> log.info("script: {}", text);
            default -> log.warn("script: {}", text);
        }
        return LuaValue.NONE;
    }

    /** Redis's REDIS_VERSION_NUM: 0x00MMmmpp. */
    static int versionNumber(String version) {
        String[] parts = version.split("\\.", -1);
        int n = 0;
        for (int i = 0; i < 3; i++) {
            n = (n << 8) | (i < parts.length ? Integer.parseInt(parts[i]) : 0);
        }
        return n;
    }

    /** redis.call (raising the command's error) and redis.pcall (returning it as {@code {err=...}}). */
    static final class Call extends VarArgFunction {
        private final LuaSandbox sandbox;
        private final boolean raise;

        Call(LuaSandbox sandbox, boolean raise) {
            this.sandbox = sandbox;
            this.raise = raise;
        }

        @Override
        public Varargs invoke(Varargs args) {
            if (args.narg() == 0) {
                return fail("ERR Please specify at least one argument for this redis lib call");
            }
            byte[][] argv = argv(args);
            if (argv == null) {
                return fail("ERR Lua redis lib command arguments must be strings or integers");
            }
            LuaSandbox.Run run = sandbox.current();
            LuaValue reply = RespToLua.convert(run.host.call(argv, run.resp));
            if (reply.istable() && reply.get("err").type() == TSTRING) {
                reply.rawset(ScriptError.COUNTED_FIELD, LuaValue.TRUE); // the command's statistics counted it
                if (raise) {
                    throw new LuaError(reply);
                }
            }
            return reply;
        }

        private LuaValue fail(String text) {
            if (raise) {
                throw raise(text);
            }
            return RespToLua.tagged("err", LuaValue.valueOf(text));
        }

        /**
         * The command's arguments, or null if one is neither a string nor a number; a number is
         * written as Redis 7.2 writes it for a command, the shortest text that reads back.
         */
        static byte[][] argv(Varargs args) {
            byte[][] argv = new byte[args.narg()][];
            for (int i = 0; i < argv.length; i++) {
                LuaValue v = args.arg(i + 1);
                argv[i] = v.type() == LuaValue.TNUMBER
                        ? LuaNumbers.shortest(v.todouble()).getBytes(java.nio.charset.StandardCharsets.US_ASCII)
                        : bytes(v);
                if (argv[i] == null) {
                    return null;
                }
            }
            return argv;
        }
    }
}
