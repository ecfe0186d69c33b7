package io.strata.server;

import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import io.strata.server.acl.UserHandle;
import io.strata.server.pubsub.Kind;
import io.strata.server.pubsub.Subscriptions;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The state of one connection, shared by its handler and CLIENT LIST / INFO / the idle check.
 *
 * <p>Threads: the thread running the connection's commands writes every field: its I/O thread
 * (its {@link #executor}), or the command or script thread the handler hands the connection to
 * ({@link ClientHandler}). CLIENT LIST and CLIENT KILL of other connections, the idle check and
 * the server's shutdown read some from other threads, and those are volatile (or final). The
 * rest other threads reach only by a task on the I/O thread that waits for the connection to be
 * there ({@link StrataServer#kill}, {@link ClientHandler#whenIdle}).
 */
final class Client {
    final long id;
    /** Null for a {@link #forwarded} command's client. */
    final Channel channel;

    final long createdMillis;
    /** The connection's I/O thread: its events, and the commands that cannot block, run there. */
    final EventExecutor executor;

    /** Closes the connection on its own thread after the replies so far; null without a socket (tests). */
    final ClientHandler handler;

    volatile String name;
    volatile String libName;
    volatile String libVer;
    volatile int protocol = 2;
    /** Read by the idle check. */
    volatile long lastInteractionMillis;

    volatile String lastCommand = "NULL";

    /**
     * Whether AUTH or HELLO logged this connection in, or it started logged in as the default user
     * (on, without a password, when it connected). Confined to the thread running its commands.
     */
    boolean authenticated;
    /** The user the connection runs commands as; written by the thread running its commands, read by CLIENT LIST. */
    volatile UserHandle user;
    /**
     * READONLY: reads on a cluster node are served from its local state, which may be stale.
     * Written by the thread running its commands, read by CLIENT LIST (flag r).
     */
    volatile boolean staleReads;
    /** Set once the connection is to close: no more requests run. Confined to the thread running its commands. */
    boolean closing;
    /** MULTI's queue and WATCH's keys. Confined to the thread running its commands. */
    final Transaction tx = new Transaction();
    /** Its channels, patterns and shard channels (counts readable by any thread). */
    final Subscriptions subscriptions = new Subscriptions();
    /** The keyspace events of the command running, published once its writes are stored. Confined. */
    final KeyspaceEvents.Pending events = new KeyspaceEvents.Pending();
    /** CLIENT REPLY. Confined to the thread running its commands. */
    ReplyMode replyMode = ReplyMode.ON;

    /**
     * Messages and MONITOR lines for this connection; set once, on the I/O thread, before the
     * connection runs a command (null for a forwarded command's client, and until then). Volatile
     * for CLIENT LIST (omem), which may read it before it is set.
     */
    volatile ClientPushes pushes;

    /** MONITOR: every other connection's commands are sent to this one. Read by CLIENT LIST. */
    volatile boolean monitor;
    /** CLIENT NO-EVICT (Strata never evicts clients: only shown, flag e). */
    volatile boolean noEvict;
    /** CLIENT NO-TOUCH (flag T): the connection's commands leave OBJECT IDLETIME as it was, but TOUCH. */
    volatile boolean noTouch;

    Client(
            long id,
            Channel channel,
            EventExecutor executor,
            ClientHandler handler,
            UserHandle user,
            boolean authenticated,
            long now) {
        this.id = id;
        this.user = user;
        this.channel = channel;
        this.executor = executor;
        this.handler = handler;
        this.authenticated = authenticated;
        this.createdMillis = now;
        this.lastInteractionMillis = now;
    }

    /**
     * The client of one command another node forwarded to this one (the leader): no socket, no
     * command thread of its own, logged in as its user there, unrestricted here (the forwarding
     * node checked the command against that user's rules).
     */
    static Client forwarded(long id, int protocol, UserHandle user, long now) {
        Client c = new Client(id, null, null, null, user, true, now);
        c.protocol = protocol;
        c.name = "forwarded";
        return c;
    }

    static String address(SocketAddress a) {
        if (a instanceof InetSocketAddress i) {
            String host = i.getAddress() != null ? i.getAddress().getHostAddress() : i.getHostString();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + i.getPort();
        }
        return String.valueOf(a);
    }

    String addr() {
        return channel == null ? "forwarded" : address(channel.remoteAddress());
    }

    String laddr() {
        return channel == null ? "forwarded" : address(channel.localAddress());
    }

    /** CLIENT LIST's flags, in Redis's order: O monitor, P pubsub, x in MULTI, r READONLY, e no-evict, T no-touch. */
    private String flags() {
        StringBuilder f = new StringBuilder();
        if (monitor) {
            f.append('O');
        }
        if (subscriptions.any()) {
            f.append('P');
        }
        if (tx.shownCount() >= 0) {
            f.append('x');
        }
        if (staleReads) {
            f.append('r');
        }
        if (noEvict) {
            f.append('e');
        }
        if (noTouch) {
            f.append('T');
        }
        return f.length() == 0 ? "N" : f.toString();
    }

    /** One line of CLIENT LIST, in Redis's format, for a connection other than the one asking. */
    String describe(long now) {
        return describe(now, null);
    }

    /**
     * One line of CLIENT LIST, in Redis's format.
     *
     * @param running the command this connection is running (the CLIENT LIST or INFO asking), whose
     *     request Redis still holds in its query buffer (qbuf=); null for another connection
     */
    String describe(long now, byte[][] running) {
        String n = name;
        String ln = libName;
        String lv = libVer;
        return "id=" + id
                + " addr=" + addr()
                + " laddr=" + laddr()
                + " fd=-1"
                + " name=" + (n == null ? "" : n)
                + " age=" + (now - createdMillis) / 1000
                + " idle=" + Math.max(0, now - lastInteractionMillis) / 1000
                + " flags=" + flags()
                + " db=0 sub=" + subscriptions.count(Kind.CHANNEL)
                + " psub=" + subscriptions.count(Kind.PATTERN)
                + " ssub=" + subscriptions.count(Kind.SHARD)
                + " multi=" + tx.shownCount()
                + " qbuf=" + (running == null ? 0 : requestBytes(running))
                + " qbuf-free=0 argv-mem=" + (running == null ? 0 : argvBytes(running)) + " multi-mem=0"
                + " rbs=0 rbp=0 obl=0 oll=0 omem=" + (pushes == null ? 0 : pushes.outputBytes())
                + " tot-mem=0 events=r"
                + " cmd=" + lastCommand
                + " user=" + user.name() + " redir=-1"
                + " resp=" + protocol
                + " lib-name=" + (ln == null ? "" : ln)
                + " lib-ver=" + (lv == null ? "" : lv);
    }

    /** The bytes of a request in RESP's multibulk form. */
    static long requestBytes(byte[][] argv) {
        long n = 1L + Long.toString(argv.length).length() + 2;
        for (byte[] a : argv) {
            n += 1L + Integer.toString(a.length).length() + 2 + a.length + 2;
        }
        return n;
    }

    /** The arguments' bytes (Redis's argv-mem counts their memory). */
    private static long argvBytes(byte[][] argv) {
        long n = 0;
        for (byte[] a : argv) {
            n += a.length;
        }
        return n;
    }
}
