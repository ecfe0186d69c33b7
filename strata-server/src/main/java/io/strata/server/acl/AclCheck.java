package io.strata.server.acl;

import io.strata.server.util.Glob;
import java.nio.charset.StandardCharsets;

/**
 * Whether a user may run one request, as Redis 7 decides: the command (or subcommand) must be
 * among the user's allowed ones, unless it is one that runs before authentication; then every
 * key it names must match one of the user's key patterns that allows what the command does
 * with that key. Pub/Sub channels are checked by the Pub/Sub commands, when Strata has them.
 */
public final class AclCheck {
    private AclCheck() {}

    /** Null if allowed; else why not (the first key refused, for a key). */
    public static Denial check(User u, CommandAcl c, byte[][] argv) {
        if (!c.noAuth() && !u.allows(c)) {
            return Denial.command(c);
        }
        if (u.allKeys()) {
            return null;
        }
        if (c.readsUnnamedKeys() && !readsEverything(u)) {
            return new Denial("key", "*");
        }
        for (KeySpec spec : c.keys()) {
            int flags = spec.access().flags(argv);
            for (int i = spec.first(); i <= spec.end(argv.length); i += spec.step()) {
                if (!keyAllowed(u, argv[i], flags)) {
                    return Denial.key(argv[i]);
                }
            }
        }
        return null;
    }

    private static boolean keyAllowed(User u, byte[] key, int flags) {
        for (KeyPattern p : u.keys()) {
            if (p.allows(key, flags)) {
                return true;
            }
        }
        return false;
    }

    private static boolean readsEverything(User u) {
        for (KeyPattern p : u.keys()) {
            if (p.read() && p.glob().equals("*")) {
                return true;
            }
        }
        return false;
    }

    /** Whether a user may use a Pub/Sub channel (for the Pub/Sub commands to call). */
    public static boolean channelAllowed(User u, byte[] channel) {
        if (u.allChannels()) {
            return true;
        }
        for (String glob : u.channels()) {
            if (Glob.matches(glob.getBytes(StandardCharsets.UTF_8), channel)) {
                return true;
            }
        }
        return false;
    }
}
