package io.strata.server;

import static io.strata.server.CommandTable.Keys.NONE;

import io.strata.server.acl.AclCheck;
import io.strata.server.acl.Denial;
import io.strata.server.acl.KeyAccess;
import io.strata.server.acl.KeySpec;
import io.strata.server.acl.User;
import io.strata.server.pubsub.Kind;
import io.strata.server.pubsub.Name;
import io.strata.server.pubsub.Subscriptions;
import java.util.List;

/**
 * SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, SSUBSCRIBE, SUNSUBSCRIBE, PUBLISH, SPUBLISH,
 * PUBSUB. A connection's subscriptions live in its {@link Subscriptions} and in the server's
 * registry ({@link io.strata.server.pubsub.PubSub}), changed together on its command thread.
 *
 * <p>Replies are Redis's: one confirmation per channel (a push in RESP3, sent under CLIENT REPLY
 * OFF and SKIP too, as Redis 7.2 does), counting the connection's channels and patterns (shard
 * channels apart); UNSUBSCRIBE without arguments
 * confirms each subscription it drops, or once with a null channel if there was none.
 */
final class PubSubCommands {
    private PubSubCommands() {}

    private static final String SUBSCRIBE_FLAGS = "pubsub noscript loading stale";
    private static final String PUBSUB_SUBCOMMAND = "pubsub loading stale";

    static void register(CommandTable t) {
        CommandTable.Group g = t.group("pubsub");
        g.add("subscribe", -2, SUBSCRIBE_FLAGS, NONE, "2.0.0", r -> subscribe(r, Kind.CHANNEL))
                .doc("Listens for messages published to channels.");
        g.add("unsubscribe", -1, SUBSCRIBE_FLAGS, NONE, "2.0.0", r -> unsubscribe(r, Kind.CHANNEL))
                .doc("Stops listening to messages posted to channels.");
        g.add("psubscribe", -2, SUBSCRIBE_FLAGS, NONE, "2.0.0", r -> subscribe(r, Kind.PATTERN))
                .doc("Listens for messages published to channels that match one or more patterns.");
        g.add("punsubscribe", -1, SUBSCRIBE_FLAGS, NONE, "2.0.0", r -> unsubscribe(r, Kind.PATTERN))
                .doc("Stops listening to messages published to channels that match one or more patterns.");
        CommandTable.Keys shardChannels = CommandTable.Keys.of(new KeySpec(1, -1, 1, KeyAccess.CHANNEL));
        g.add("ssubscribe", -2, SUBSCRIBE_FLAGS, shardChannels, "7.0.0", r -> subscribe(r, Kind.SHARD))
                .doc("Listens for messages published to shard channels.");
        g.add("sunsubscribe", -1, SUBSCRIBE_FLAGS, shardChannels, "7.0.0", r -> unsubscribe(r, Kind.SHARD))
                .doc("Stops listening to messages posted to shard channels.");
        g.add("publish", 3, "pubsub loading stale fast", NONE, "2.0.0", r -> publish(r, Kind.CHANNEL))
                .doc("Posts a message to a channel.");
        g.add(
                        "spublish",
                        3,
                        "pubsub loading stale fast",
                        CommandTable.Keys.of(KeySpec.at(1, KeyAccess.CHANNEL)),
                        "7.0.0",
                        r -> publish(r, Kind.SHARD))
                .doc("Post a message to a shard channel");
        g.add("pubsub", -2, "", NONE, "2.8.0", PubSubCommands::pubsub)
                .categories("")
                .sub("channels", -2, PUBSUB_SUBCOMMAND, NONE, "pubsub")
                .sub("numsub", -2, PUBSUB_SUBCOMMAND, NONE, "pubsub")
                .sub("numpat", 2, PUBSUB_SUBCOMMAND, NONE, "pubsub")
                .sub("shardchannels", -2, PUBSUB_SUBCOMMAND, NONE, "pubsub")
                .sub("shardnumsub", -2, PUBSUB_SUBCOMMAND, NONE, "pubsub")
                .sub("help", 2, "loading stale", NONE, "")
                .doc("A container for Pub/Sub commands.");
    }

    /**
     * The ACL refusal of a Pub/Sub command's channels, or null: SUBSCRIBE, SSUBSCRIBE and their
     * patterns name them from the first argument on, PUBLISH and SPUBLISH in the first.
     */
    static Denial channelDenial(User u, String command, byte[][] argv) {
        return switch (command) {
            case "subscribe", "ssubscribe" -> AclCheck.channels(u, argv, 1, -1, false);
            case "psubscribe" -> AclCheck.channels(u, argv, 1, -1, true);
            case "publish", "spublish" -> AclCheck.channels(u, argv, 1, 1, false);
            default -> null;
        };
    }

    /**
     * Whether the user may keep every subscription the connection has (after ACL SETUSER or ACL
     * LOAD changed its channel rules).
     */
    static boolean mayKeep(User u, Subscriptions subs) {
        for (Kind k : Kind.values()) {
            for (Name n : subs.names(k)) {
                if (!AclCheck.channelAllowed(u, n.bytes(), k == Kind.PATTERN)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void subscribe(Request r, Kind kind) {
        Client c = r.client;
        for (int i = 1; i < r.argc(); i++) {
            Name name = new Name(r.argv[i]);
            if (c.subscriptions.add(kind, name)) {
                r.server.pubsub().subscribe(kind, name, c.pushes);
            }
            confirm(r, kind.subscribeWord(), r.argv[i], kind);
        }
    }

    private static void unsubscribe(Request r, Kind kind) {
        Client c = r.client;
        if (r.argc() == 1) {
            List<Name> all = c.subscriptions.names(kind);
            if (all.isEmpty()) {
                confirm(r, kind.unsubscribeWord(), null, kind);
            }
            for (Name n : all) {
                drop(r.server, c, kind, n);
                confirm(r, kind.unsubscribeWord(), n.bytes(), kind);
            }
            return;
        }
        for (int i = 1; i < r.argc(); i++) {
            drop(r.server, c, kind, new Name(r.argv[i]));
            confirm(r, kind.unsubscribeWord(), r.argv[i], kind);
        }
    }

    private static void drop(StrataServer server, Client c, Kind kind, Name n) {
        if (c.subscriptions.remove(kind, n)) {
            server.pubsub().unsubscribe(kind, n, c.pushes);
        }
    }

    /** Drops every subscription of a connection that is closing or being RESET. */
    static void dropAll(StrataServer server, Client c) {
        for (Kind k : Kind.values()) {
            for (Name n : c.subscriptions.names(k)) {
                drop(server, c, k, n);
            }
        }
    }

    /** {@code [word, channel, count]}: a push in RESP3; the count is of channels and patterns, or of shard channels. */
    private static void confirm(Request r, String word, byte[] channel, Kind kind) {
        Subscriptions s = r.client.subscriptions;
        r.out.unmuted(() -> {
            r.out.push(3);
            r.out.bulk(word);
            if (channel == null) {
                r.out.nullBulk();
            } else {
                r.out.bulk(channel);
            }
            r.out.integer(kind == Kind.SHARD ? s.count(Kind.SHARD) : s.channelsAndPatterns());
        });
    }

    private static void publish(Request r, Kind kind) {
        r.out.integer(
                kind == Kind.SHARD
                        ? r.server.pubsub().publish(Kind.SHARD, r.argv[1], r.argv[2])
                        : r.server.publish(r.argv[1], r.argv[2]));
    }

    private static void pubsub(Request r) {
        String sub = r.str(1).toLowerCase(java.util.Locale.ROOT);
        switch (sub) {
            case "channels", "shardchannels" -> {
                if (r.argc() > 3) {
                    throw new CommandError("ERR unknown subcommand or wrong number of arguments for '" + r.str(1)
                            + "'. Try PUBSUB HELP.");
                }
                List<byte[]> names = r.server
                        .pubsub()
                        .names(sub.equals("channels") ? Kind.CHANNEL : Kind.SHARD, r.argc() == 3 ? r.argv[2] : null);
                r.out.array(names.size());
                names.forEach(r.out::bulk);
            }
            case "numsub", "shardnumsub" -> {
                Kind kind = sub.equals("numsub") ? Kind.CHANNEL : Kind.SHARD;
                r.out.array(2L * (r.argc() - 2)); // an array in RESP3 too, as Redis sends it
                for (int i = 2; i < r.argc(); i++) {
                    r.out.bulk(r.argv[i]);
                    r.out.integer(r.server.pubsub().subscribers(kind, new Name(r.argv[i])));
                }
            }
            case "numpat" -> {
                ConnectionCommands.arity(r, 2, "pubsub|numpat");
                r.out.integer(r.server.pubsub().count(Kind.PATTERN));
            }
            case "help" -> {
                ConnectionCommands.arity(r, 2, "pubsub|help");
                ConnectionCommands.help(
                        r.out,
                        "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                        "CHANNELS [<pattern>]",
                        "    Return the currently active channels matching a <pattern> (default: '*').",
                        "NUMPAT",
                        "    Return number of subscriptions to patterns.",
                        "NUMSUB [<channel> ...]",
                        "    Return the number of subscribers for the specified channels, excluding",
                        "    pattern subscriptions(default: no channels).",
                        "SHARDCHANNELS [<pattern>]",
                        "    Return the currently active shard level channels matching a <pattern> (default: '*').",
                        "SHARDNUMSUB [<shardchannel> ...]",
                        "    Return the number of subscribers for the specified shard level channel(s)",
                        "HELP",
                        "    Prints this help.");
            }
            default -> throw CommandError.unknownSubcommand(r.str(1), "pubsub");
        }
    }
}
