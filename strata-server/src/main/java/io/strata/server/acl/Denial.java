package io.strata.server.acl;

import java.nio.charset.StandardCharsets;

/**
 * Why ACL refused something, as ACL LOG records it.
 *
 * @param reason Redis's: {@code command}, {@code key}, {@code channel} or {@code auth}
 * @param object the command (its full name), key, channel, or for {@code auth} the command that tried
 */
public record Denial(String reason, String object) {
    static Denial command(CommandAcl c) {
        return new Denial("command", c.name());
    }

    static Denial key(byte[] key) {
        return new Denial("key", new String(key, StandardCharsets.UTF_8));
    }

    /** ACL DRYRUN's answer: Redis 7.2's verbose text, which names the key or channel. */
    public String verboseText(String username) {
        return switch (reason) {
            case "command" -> "User " + username + " has no permissions to run the '" + object + "' command";
            case "key" -> "No permissions to access the '" + object + "' key";
            case "channel" -> "No permissions to access the '" + object + "' channel";
            default -> throw new IllegalStateException("no text for a denial of " + reason);
        };
    }

    /** Redis 7.2's error reply, after the {@code -}. */
    public String reply(String username) {
        return switch (reason) {
            case "command" -> "NOPERM User " + username + " has no permissions to run the '" + object + "' command";
            case "key" -> "NOPERM No permissions to access a key";
            case "channel" -> "NOPERM No permissions to access a channel";
            default -> throw new IllegalStateException("no reply for a denial of " + reason);
        };
    }
}
