package io.strata.server;

import java.util.Locale;

/**
 * client-output-buffer-limit: for each class of client, the bytes queued for it at which it is
 * disconnected at once (hard), and those it may stay above for a number of seconds (soft); 0
 * turns a limit off. Redis's classes and defaults: normal 0 0 0, replica (Redis's name in
 * CONFIG GET: slave) 256mb 64mb 60, pubsub 32mb 8mb 60. Strata applies the pubsub class to
 * connections with a subscription and to MONITOR connections (which Redis counts as normal);
 * normal clients are bounded by backpressure instead (a client that does not read is not read
 * from), and Strata has no replica clients. Immutable: CONFIG SET replaces the whole value.
 */
record OutputBufferLimits(Limit normal, Limit replica, Limit pubsub) {
    static final OutputBufferLimits DEFAULTS = new OutputBufferLimits(
            new Limit(0, 0, 0), new Limit(256L << 20, 64L << 20, 60), new Limit(32L << 20, 8L << 20, 60));

    /** One class's limits. */
    record Limit(long hard, long soft, long softSeconds) {
        /** Whether {@code bytes} queued, over the soft limit since {@code overSoftSinceMillis} (0: not), end it. */
        boolean exceeded(long bytes, long overSoftSinceMillis, long nowMillis) {
            if (hard > 0 && bytes >= hard) {
                return true;
            }
            return soft > 0
                    && bytes >= soft
                    && overSoftSinceMillis > 0
                    && nowMillis - overSoftSinceMillis >= softSeconds * 1000;
        }

        boolean overSoft(long bytes) {
            return soft > 0 && bytes >= soft;
        }
    }

    /** CONFIG SET's value: {@code class hard soft seconds} repeated; the classes not named keep their limits. */
    OutputBufferLimits with(String value) {
        String[] w = value.trim().isEmpty() ? new String[0] : value.trim().split("\\s+");
        if (w.length % 4 != 0) {
            throw new IllegalArgumentException("Wrong number of arguments in buffer limit configuration.");
        }
        Limit n = normal;
        Limit r = replica;
        Limit p = pubsub;
        for (int i = 0; i < w.length; i += 4) {
            Limit l = parse(w[i + 1], w[i + 2], w[i + 3]);
            switch (w[i].toLowerCase(Locale.ROOT)) {
                case "normal" -> n = l;
                case "replica", "slave" -> r = l;
                case "pubsub" -> p = l;
                default ->
                    throw new IllegalArgumentException("Invalid client class specified in buffer limit configuration.");
            }
        }
        return new OutputBufferLimits(n, r, p);
    }

    private static Limit parse(String hard, String soft, String seconds) {
        try {
            Limit l = new Limit(ConfigValues.toMemory(hard), ConfigValues.toMemory(soft), Long.parseLong(seconds));
            if (l.hard() < 0 || l.soft() < 0 || l.softSeconds() < 0) {
                throw new IllegalArgumentException("negative");
            }
            return l;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "Error in hard, soft or soft_seconds setting in buffer limit configuration.", e);
        }
    }

    /** CONFIG GET's value, as Redis 7 shows it. */
    String describe() {
        return "normal " + text(normal) + " slave " + text(replica) + " pubsub " + text(pubsub);
    }

    private static String text(Limit l) {
        return l.hard() + " " + l.soft() + " " + l.softSeconds();
    }
}
