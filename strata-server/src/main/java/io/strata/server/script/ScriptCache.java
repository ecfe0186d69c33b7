package io.strata.server.script;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scripts a server knows, by SHA1: those EVAL ran and SCRIPT LOAD loaded, kept until
 * SCRIPT FLUSH, as Redis keeps every one (INFO counts them and their bytes). Thread-safe: a
 * concurrent map.
 */
public final class ScriptCache {
    private final ConcurrentHashMap<String, Script> scripts = new ConcurrentHashMap<>();

    /**
     * The script of {@code body}, compiled and kept if it is new.
     *
     * @throws LuaSandbox.ScriptCompileError with Redis's reply if it does not compile
     */
    public Script load(byte[] body) {
        Script s = scripts.get(RedisLib.sha1hex(body));
        if (s != null) {
            return s;
        }
        Script compiled = Script.compile(body);
        Script raced = scripts.putIfAbsent(compiled.sha(), compiled);
        return raced != null ? raced : compiled;
    }

    /** The script with this SHA1 (in either case), or null. */
    public Script get(String sha) {
        return scripts.get(sha.toLowerCase(Locale.ROOT));
    }

    public void flush() {
        scripts.clear();
    }

    public int size() {
        return scripts.size();
    }

    /** The bytes of the kept scripts' bodies (INFO's used_memory_scripts). */
    public long bodyBytes() {
        long n = 0;
        for (Script s : scripts.values()) {
            n += s.bodyBytes();
        }
        return n;
    }
}
