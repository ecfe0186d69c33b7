package io.strata.server.script;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import org.luaj.vm2.Prototype;

/**
 * A compiled script: its SHA1 (what EVALSHA names it by), its compiled code, and the flags of
 * its shebang line ({@code #!lua flags=no-writes,...}), as Redis 7 reads them. A script
 * without a shebang has no flags and may write. Immutable.
 */
public final class Script {
    private final String sha;
    private final Prototype code;
    private final Set<String> flags;
    private final byte[] body;

    private Script(String sha, Prototype code, Set<String> flags, byte[] body) {
        this.sha = sha;
        this.code = code;
        this.flags = flags;
        this.body = body;
    }

    /** The SHA1 of the body, in lower-case hex. */
    public String sha() {
        return sha;
    }

    /** The compiled body (immutable: luaj's closures only read it). */
    public Prototype code() {
        return code;
    }

    /** The body as sent (a follower forwards it to the leader as an EVAL). */
    public byte[] body() {
        return body.clone();
    }

    int bodyBytes() {
        return body.length;
    }

    /** The flags Redis 7 accepts; of them Strata acts on no-writes (the rest change nothing here). */
    static final Set<String> KNOWN =
            Set.of("no-writes", "allow-oom", "allow-stale", "no-cluster", "allow-cross-slot-keys");

    /** Whether the script declared it does not write (then it is refused any write, as under EVAL_RO). */
    public boolean noWrites() {
        return flags.contains("no-writes");
    }

    /**
     * Compiles a body.
     *
     * @throws LuaSandbox.ScriptCompileError with Redis's reply for a bad shebang or a body that is not Lua
     */
    public static Script compile(byte[] body) {
        String sha = RedisLib.sha1hex(body);
        if (body.length < 2 || body[0] != '#' || body[1] != '!') {
            return new Script(sha, LuaSandbox.compile(body), Set.of(), body.clone());
        }
        int end = 0;
        while (end < body.length && body[end] != '\n') {
            end++;
        }
        String shebang = new String(body, 0, end, StandardCharsets.UTF_8);
        String[] parts = shebang.split(" ", -1);
        if (!parts[0].equals("#!lua")) {
            throw new LuaSandbox.ScriptCompileError("ERR Unexpected engine in script shebang: " + shebang);
        }
        Set<String> flags = new java.util.HashSet<>();
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].isEmpty()) {
                continue;
            }
            if (!parts[i].startsWith("flags=")) {
                throw new LuaSandbox.ScriptCompileError("ERR Unknown lua shebang option: " + parts[i]);
            }
            for (String flag : parts[i].substring("flags=".length()).split(",", -1)) {
                if (!flag.isEmpty() && !KNOWN.contains(flag)) {
                    throw new LuaSandbox.ScriptCompileError("ERR Unexpected flag in script shebang: " + flag);
                }
                if (!flag.isEmpty()) {
                    flags.add(flag);
                }
            }
        }
        // The shebang line is not Lua: it is compiled as an empty line, so line numbers stay the body's.
        byte[] code = Arrays.copyOfRange(body, end, body.length);
        return new Script(sha, LuaSandbox.compile(code), Set.copyOf(flags), body.clone());
    }
}
