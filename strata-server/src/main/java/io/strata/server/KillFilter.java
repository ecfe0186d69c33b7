package io.strata.server;

import java.util.Locale;
import java.util.function.Predicate;

/**
 * The filters of CLIENT KILL's new form (ID, TYPE, USER, ADDR, LADDR, SKIPME, MAXAGE) and of
 * CLIENT LIST TYPE, with Redis's errors for bad ones.
 */
final class KillFilter {
    private KillFilter() {}

    /** The connections CLIENT KILL's filters (arguments 2 on, in pairs) select. */
    static Predicate<Client> parse(Request r) {
        Client self = r.client;
        Predicate<Client> p = c -> true;
        boolean skipMe = true;
        for (int j = 2; j < r.argc(); j += 2) {
            if (j + 1 >= r.argc()) {
                throw CommandError.SYNTAX;
            }
            String option = r.str(j).toLowerCase(Locale.ROOT);
            String value = r.str(j + 1);
            switch (option) {
                case "id" -> {
                    long id;
                    try {
                        id = r.longArg(j + 1);
                    } catch (CommandError e) {
                        id = 0;
                    }
                    if (id <= 0) {
                        throw new CommandError("ERR client-id should be greater than 0");
                    }
                    long wanted = id;
                    p = p.and(c -> c.id == wanted);
                }
                case "type" -> p = p.and(ofType(value));
                case "user" -> {
                    if (r.server.acl().user(value) == null) {
                        throw new CommandError("ERR No such user '" + value + "'");
                    }
                    p = p.and(c -> c.user.name().equals(value));
                }
                case "addr" -> p = p.and(c -> c.addr().equals(value));
                case "laddr" -> p = p.and(c -> c.laddr().equals(value));
                case "skipme" -> {
                    if (r.is(j + 1, "YES")) {
                        skipMe = true;
                    } else if (r.is(j + 1, "NO")) {
                        skipMe = false;
                    } else {
                        throw CommandError.SYNTAX;
                    }
                }
                case "maxage" -> {
                    long seconds = r.longArg(j + 1);
                    long now = System.currentTimeMillis();
                    p = p.and(c -> (now - c.createdMillis) / 1000 >= seconds);
                }
                default -> throw CommandError.SYNTAX;
            }
        }
        return skipMe ? p.and(c -> c != self) : p;
    }

    /**
     * CLIENT LIST and KILL TYPE: Redis's classes. A connection with a subscription is pubsub, any
     * other (MONITOR included) normal; Strata has no master or replica connections.
     */
    static Predicate<Client> ofType(String type) {
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "normal" -> c -> !c.subscriptions.any();
            case "pubsub" -> c -> c.subscriptions.any();
            case "master", "replica", "slave" -> c -> false;
            default -> throw new CommandError("ERR Unknown client type '" + type + "'");
        };
    }
}
