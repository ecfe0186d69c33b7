package io.strata.server.acl;

import io.strata.server.util.Glob;
import java.nio.charset.StandardCharsets;

/**
 * Whether a user may run one request, as Redis 7 decides: the command (or subcommand) must be
 * among the user's allowed ones, unless it is one that runs before authentication; then every
 * key it names must match one of the user's key patterns that allows what the command does
 * with that key; then every channel or pattern it names must be allowed by the user's channel
 * patterns ({@link #channels}).
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
            if ((flags & KeyAccess.NOT_KEY) != 0) {
                continue;
            }
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

    /**
     * Null if the user may use the channels {@code argv[first..last]} (last -1: to the end), else
     * the first refused. A channel must match one of the user's channel globs; a pattern (PSUBSCRIBE)
     * must be one of them literally, as Redis requires, so that a pattern never reaches a channel
     * the user may not use.
     */
    public static Denial channels(User u, byte[][] argv, int first, int last, boolean patterns) {
        if (u.allChannels()) {
            return null;
        }
        int end = last < 0 ? argv.length - 1 : Math.min(last, argv.length - 1);
        for (int i = first; i <= end; i++) {
            if (!channelAllowed(u, argv[i], patterns)) {
                return new Denial("channel", new String(argv[i], StandardCharsets.UTF_8));
            }
        }
        return null;
    }

    /** Whether the user may use a channel. */
    public static boolean channelAllowed(User u, byte[] channel) {
        return channelAllowed(u, channel, false);
    }

    /** Whether the user may use a channel (or, with {@code pattern}, subscribe to this pattern). */
    public static boolean channelAllowed(User u, byte[] channel, boolean pattern) {
        if (u.allChannels()) {
            return true;
        }
        for (String glob : u.channels()) {
            byte[] g = glob.getBytes(StandardCharsets.UTF_8);
            if (pattern ? java.util.Arrays.equals(g, channel) : Glob.matches(g, channel)) {
                return true;
            }
        }
        return false;
    }
}
