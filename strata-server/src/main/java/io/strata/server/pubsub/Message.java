package io.strata.server.pubsub;

/**
 * One message on its way to one subscriber.
 *
 * @param pattern the pattern it matched, for a {@link Kind#PATTERN} subscription; else null
 */
public record Message(Kind kind, byte[] pattern, byte[] channel, byte[] payload) {
    /** What holding it costs, for the output buffer limits: its bytes and the RESP framing around them. */
    public long size() {
        return 48L + channel.length + payload.length + (pattern == null ? 0 : pattern.length);
    }
}
