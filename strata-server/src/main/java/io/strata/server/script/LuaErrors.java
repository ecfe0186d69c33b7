package io.strata.server.script;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.OneArgFunction;

/** Error texts as Lua 5.1 and Redis word them, from luaj's. */
final class LuaErrors {
    private LuaErrors() {}

    /**
     * luaj's position of an error: {@code @user_script:3 } at run time, {@code user_script:3: }
     * from the compiler; for code loadstring compiled, its Lua 5.1 name ({@code [string "..."]}).
     */
    private static final Pattern AT = Pattern.compile("^[=@]?(\\[string \"[^\"]*\"\\]|[^\\s:]+):(\\d+):? ");

    /** An error raised without a position (error(message, 0)): its message is its text as it is. */
    static final class Unpositioned extends LuaError {
        private static final long serialVersionUID = 1L;

        Unpositioned(LuaValue message) {
            super(message);
        }
    }

    /**
     * A message as Lua 5.1 writes it: its position, if it has one, as {@code user_script:3: },
     * luaj's name for the end of the script, {@code <eos>}, as Lua's {@code <eof>}, and a type
     * error in Lua 5.1's words ({@link LuaTypeErrors}).
     */
    static String positioned(String m) {
        Matcher at = AT.matcher(m);
        String text = LuaTypeErrors.reword(m.replace("'<eos>'", "'<eof>'"));
        if (!at.find()) {
            return text;
        }
        return at.group(1) + ":" + at.group(2) + ": " + text.substring(at.end());
    }

    /**
     * Redis's reply for a script that failed: the error's text ({@code ERR} and the message for
     * a string, the {@code err} field as it is for a table), the script and the line it failed
     * on. luaj positions an error only when it is raised inside a function's body, not in a
     * tail call ({@code return redis.call(...)}): a string error without a position gets the
     * line here, as Lua 5.1 positions it.
     *
     * @param line the script's line run last (its hook's)
     */
    static String reply(LuaError e, String sha, String line) {
        LuaValue object = e.getMessageObject();
        String text;
        if (object != null && object.istable() && object.get("err").type() == LuaValue.TSTRING) {
            text = object.get("err").tojstring();
        } else if (e instanceof Unpositioned) {
            text = "ERR " + object.tojstring();
        } else {
            String m = e.getMessage() == null ? "unknown error" : positioned(e.getMessage());
            text = "ERR " + (AT.matcher(m).find() ? m : LuaSandbox.CHUNK + ":" + line + ": " + m);
        }
        return text + " script: " + sha + ", on @" + LuaSandbox.CHUNK + ":" + line + ".";
    }

    /**
     * Lua 5.1's name of a chunk in messages (luaO_chunkid): {@code =name} and {@code @name} as
     * name, any other as {@code [string "its first line"]}, cut to fit 60 characters.
     */
    static String chunkName(String source) {
        if (source.startsWith("=") || source.startsWith("@")) {
            return source.substring(1);
        }
        int newline = source.indexOf('\n');
        String first = newline < 0 ? source : source.substring(0, newline);
        int room = 60 - "[string \"...\"]".length();
        boolean cut = newline >= 0 || first.length() > room;
        return "[string \"" + (first.length() > room ? first.substring(0, room) : first) + (cut ? "..." : "") + "\"]";
    }

    /**
     * The error handler luaj calls with an error's text and position where it was raised (the
     * script's thread's errorfunc): writes the position as Lua 5.1 does.
     */
    static final class Handler extends OneArgFunction {
        @Override
        public LuaValue call(LuaValue message) {
            return LuaValue.valueOf(positioned(message.tojstring()));
        }
    }
}
