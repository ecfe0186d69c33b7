package io.strata.server;

import io.strata.server.acl.Acl;
import io.strata.server.acl.AclCheck;
import io.strata.server.acl.Denial;
import io.strata.server.acl.User;

/**
 * Whether a connection may run a request, checked by the dispatcher after the arity and before
 * anything runs (so a refused command changes nothing): first authentication (Redis's NOAUTH
 * while the connection has not logged in and the default user needs a password or is off),
 * then the ACL of the connection's user, for the command or the subcommand it names and for
 * its keys and Pub/Sub channels. A refusal is counted and recorded in ACL LOG. On a cluster node this runs where
 * the client is connected, before a write is forwarded to the leader.
 */
final class AccessControl {
    private AccessControl() {}

    /** The error reply refusing the request, or null if it may run. */
    static String refusal(StrataServer server, Client client, CommandSpec spec, byte[][] argv) {
        Acl acl = server.acl();
        if (!spec.noAuth() && authRequired(client, acl)) {
            return CommandError.NOAUTH.getMessage();
        }
        User user = client.user.user();
        Denial d = denial(user, spec, argv);
        if (d == null) {
            return null;
        }
        (switch (d.reason()) {
                    case "key" -> server.stats().aclDeniedKey;
                    case "channel" -> server.stats().aclDeniedChannel;
                    default -> server.stats().aclDeniedCommand;
                })
                .add(1);
        acl.log().add(d, user.name(), client.describe(System.currentTimeMillis()));
        return d.reply(user.name());
    }

    /** Why the user may not run the request (its command, a key, a channel), or null. */
    static Denial denial(User user, CommandSpec spec, byte[][] argv) {
        Denial d = AclCheck.check(user, spec.target(argv).acl(), argv);
        return d != null ? d : PubSubCommands.channelDenial(user, spec.name(), argv);
    }

    /** Redis's authRequired: not logged in, and the default user cannot be used without a password. */
    static boolean authRequired(Client client, Acl acl) {
        return !client.authenticated && !acl.defaultUserOpen();
    }
}
