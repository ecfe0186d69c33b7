package io.strata.server.pubsub;

/**
 * The three kinds of subscription, with the words Redis's replies and messages use for each.
 * A shard channel (SSUBSCRIBE) is a channel of its own namespace: SPUBLISH reaches only shard
 * subscribers, PUBLISH never does.
 */
public enum Kind {
    CHANNEL("subscribe", "unsubscribe", "message"),
    PATTERN("psubscribe", "punsubscribe", "pmessage"),
    SHARD("ssubscribe", "sunsubscribe", "smessage");

    private final String subscribe;
    private final String unsubscribe;
    private final String message;

    Kind(String subscribe, String unsubscribe, String message) {
        this.subscribe = subscribe;
        this.unsubscribe = unsubscribe;
        this.message = message;
    }

    /** The first element of a subscription's confirmation. */
    public String subscribeWord() {
        return subscribe;
    }

    public String unsubscribeWord() {
        return unsubscribe;
    }

    /** The first element of a delivered message. */
    public String messageWord() {
        return message;
    }
}
