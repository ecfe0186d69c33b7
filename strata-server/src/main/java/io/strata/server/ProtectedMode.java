package io.strata.server;

import io.strata.server.acl.Acl;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Redis's protected mode: while it is on and a user can be used without a password, only
 * clients on the loopback interface are served; any other is sent {@link #DENIED} and closed
 * before it can run a command. A server bound to loopback alone never sees another peer, so it
 * is unaffected. As in Redis 7.2 it looks at the peer, not at the bind address, so a server
 * bound to one non-loopback interface refuses its peers too. Redis asks only whether the default
 * user is nopass; Strata asks whether any user that is on is nopass (the default user, or one an
 * ACL SETUSER or the ACL file made): a remote client could log in as it with any password.
 */
final class ProtectedMode {
    /** Redis 7.2's reply, word for word (clients and scripts recognise it). */
    static final String DENIED = "-DENIED Redis is running in protected mode because protected "
            + "mode is enabled and no password is set for the default user. "
            + "In this mode connections are only accepted from the loopback interface. "
            + "If you want to connect from external computers to Redis you "
            + "may adopt one of the following solutions: "
            + "1) Just disable protected mode sending the command "
            + "'CONFIG SET protected-mode no' from the loopback interface "
            + "by connecting to Redis from the same host the server is "
            + "running, however MAKE SURE Redis is not publicly accessible "
            + "from internet if you do so. Use CONFIG REWRITE to make this "
            + "change permanent. "
            + "2) Alternatively you can just disable the protected mode by "
            + "editing the Redis configuration file, and setting the protected "
            + "mode option to 'no', and then restarting the server. "
            + "3) If you started the server manually just for testing, restart "
            + "it with the '--protected-mode no' option. "
            + "4) Set up an authentication password for the default user. "
            + "NOTE: You only need to do one of the above things in order for "
            + "the server to start accepting connections from the outside.\r\n";

    private ProtectedMode() {}

    /** True if a connection from {@code peer} must be refused. */
    static boolean refuses(boolean enabled, Acl acl, SocketAddress peer) {
        return enabled && !isLocal(peer) && acl.someUserWithoutPassword();
    }

    /**
     * 127.0.0.0/8 and ::1 (an IPv4-mapped ::ffff:127.x.y.z reaches Java as IPv4); as in Redis, a
     * peer that is not an IP socket (an in-process channel) is local.
     */
    static boolean isLocal(SocketAddress peer) {
        if (peer instanceof InetSocketAddress inet) {
            return inet.getAddress() != null && inet.getAddress().isLoopbackAddress();
        }
        return true;
    }

    /** What the start line says about it. */
    static String describe(boolean enabled, Acl acl) {
        if (!enabled) {
            return "off";
        }
        return acl.someUserWithoutPassword()
                ? "on: only loopback clients while a user needs no password"
                : "on (inactive while every user needs a password)";
    }
}
