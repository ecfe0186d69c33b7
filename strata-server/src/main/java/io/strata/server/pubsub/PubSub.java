package io.strata.server.pubsub;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.strata.server.util.Glob;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The server's subscriptions: who is subscribed to each channel, pattern and shard channel.
 *
 * <p>Threads: every connection's command thread subscribes, unsubscribes and publishes; this
 * object's lock guards the maps and the sets in them. A publisher only collects the recipients
 * under the lock and hands each its message ({@link Subscriber#deliver}, which queues it for
 * the subscriber's own thread), so the lock is never held while a connection is written.
 * Invariant: no map holds an empty set (the last unsubscriber removes the name).
 */
public final class PubSub {
    @GuardedBy("this")
    private final Map<Kind, Map<Name, Set<Subscriber>>> byKind = new EnumMap<>(Kind.class);

    public PubSub() {
        synchronized (this) {
            for (Kind k : Kind.values()) {
                byKind.put(k, new HashMap<>());
            }
        }
    }

    /** Adds a subscription; false if the subscriber had it already. */
    public synchronized boolean subscribe(Kind kind, Name name, Subscriber s) {
        return byKind.get(kind)
                .computeIfAbsent(name, n -> new LinkedHashSet<>())
                .add(s);
    }

    /** Removes a subscription; false if the subscriber did not have it. */
    public synchronized boolean unsubscribe(Kind kind, Name name, Subscriber s) {
        Map<Name, Set<Subscriber>> names = byKind.get(kind);
        Set<Subscriber> subs = names.get(name);
        if (subs == null || !subs.remove(s)) {
            return false;
        }
        if (subs.isEmpty()) {
            names.remove(name);
        }
        return true;
    }

    /**
     * Delivers a message on a channel ({@link Kind#CHANNEL}: to its subscribers and to those of
     * every pattern it matches; {@link Kind#SHARD}: to the shard channel's subscribers). Returns
     * how many deliveries that made (a connection subscribed to the channel and to a matching
     * pattern counts twice, as in Redis).
     */
    public int publish(Kind kind, byte[] channel, byte[] payload) {
        if (kind == Kind.PATTERN) {
            throw new IllegalArgumentException("one publishes on a channel, not a pattern");
        }
        List<Subscriber> to = new ArrayList<>();
        List<Message> what = new ArrayList<>();
        synchronized (this) {
            Set<Subscriber> direct = byKind.get(kind).get(new Name(channel));
            if (direct != null) {
                Message m = new Message(kind, null, channel, payload);
                for (Subscriber s : direct) {
                    to.add(s);
                    what.add(m);
                }
            }
            if (kind == Kind.CHANNEL) {
                for (Map.Entry<Name, Set<Subscriber>> e :
                        byKind.get(Kind.PATTERN).entrySet()) {
                    byte[] pattern = e.getKey().bytes();
                    if (Glob.matches(pattern, channel)) {
                        Message m = new Message(Kind.PATTERN, pattern, channel, payload);
                        for (Subscriber s : e.getValue()) {
                            to.add(s);
                            what.add(m);
                        }
                    }
                }
            }
        }
        for (int i = 0; i < to.size(); i++) {
            to.get(i).deliver(what.get(i));
        }
        return to.size();
    }

    /** PUBSUB CHANNELS / SHARDCHANNELS: the names with subscribers that match {@code pattern} (null: all). */
    public synchronized List<byte[]> names(Kind kind, byte[] pattern) {
        List<byte[]> out = new ArrayList<>();
        for (Name n : byKind.get(kind).keySet()) {
            if (pattern == null || Glob.matches(pattern, n.bytes())) {
                out.add(n.bytes());
            }
        }
        return out;
    }

    /** PUBSUB NUMSUB / SHARDNUMSUB: the subscribers of one name. */
    public synchronized int subscribers(Kind kind, Name name) {
        Set<Subscriber> subs = byKind.get(kind).get(name);
        return subs == null ? 0 : subs.size();
    }

    /** How many names of a kind have subscribers (PUBSUB NUMPAT for patterns; INFO's pubsub_channels ...). */
    public synchronized int count(Kind kind) {
        return byKind.get(kind).size();
    }
}
