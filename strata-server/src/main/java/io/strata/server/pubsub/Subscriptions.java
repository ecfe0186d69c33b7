package io.strata.server.pubsub;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One connection's subscriptions, in the order they were made (UNSUBSCRIBE without arguments
 * confirms them in that order). The connection's side of {@link PubSub}: they are added and
 * removed together. Confined to the thread running the connection's commands, except {@link #count}, which
 * CLIENT LIST reads from others (a count that is a moment old).
 */
public final class Subscriptions {
    private final Map<Kind, Set<Name>> byKind = new EnumMap<>(Kind.class);
    /** The sizes of the sets, written by that thread after each change, for other threads. */
    private volatile int channels;

    private volatile int patterns;
    private volatile int shards;

    public Subscriptions() {
        for (Kind k : Kind.values()) {
            byKind.put(k, new LinkedHashSet<>());
        }
    }

    public boolean add(Kind kind, Name name) {
        boolean added = byKind.get(kind).add(name);
        publishCounts();
        return added;
    }

    public boolean remove(Kind kind, Name name) {
        boolean removed = byKind.get(kind).remove(name);
        publishCounts();
        return removed;
    }

    /** A copy, in subscription order. */
    public List<Name> names(Kind kind) {
        return new ArrayList<>(byKind.get(kind));
    }

    private void publishCounts() {
        channels = byKind.get(Kind.CHANNEL).size();
        patterns = byKind.get(Kind.PATTERN).size();
        shards = byKind.get(Kind.SHARD).size();
    }

    /** The subscriptions of one kind; any thread. */
    public int count(Kind kind) {
        return switch (kind) {
            case CHANNEL -> channels;
            case PATTERN -> patterns;
            case SHARD -> shards;
        };
    }

    /** What SUBSCRIBE and PSUBSCRIBE's confirmations count: channels and patterns. */
    public int channelsAndPatterns() {
        return count(Kind.CHANNEL) + count(Kind.PATTERN);
    }

    /** Whether the connection is in Pub/Sub mode (RESP2's subscribed-mode rules; the pubsub buffer limit). */
    public boolean any() {
        return channelsAndPatterns() + count(Kind.SHARD) > 0;
    }
}
