package io.strata.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.strata.server.resp.ProtocolException;
import io.strata.server.resp.RespParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback that records what a client (redis-benchmark, which does not say which
 * writes were acknowledged) sent and which requests were answered. Per connection it parses
 * the request stream with the server's {@link RespParser} and the reply stream with
 * {@link ReplyScanner}; replies come in request order, so the i-th reply answers the i-th
 * request.
 *
 * <p>One logical clock orders events across connections: a request is stamped when it is
 * complete, before its last bytes are forwarded to the server; a reply is stamped when it is
 * complete, before its last bytes are forwarded to the client. So if reply A's stamp is below
 * request B's, the server had answered A before it could see B: B is later than A in any
 * order the server applied them in.
 */
final class RecordingProxy implements AutoCloseable {
    /** One request: its arguments, when it was sent, and when and how it was answered. */
    static final class Sent {
        final byte[][] argv;
        final long sentAt;
        /** Guarded by the connection's lock; answeredAt is Long.MAX_VALUE until answered. */
        long answeredAt = Long.MAX_VALUE;

        byte replyType;

        Sent(byte[][] argv, long sentAt) {
            this.argv = argv;
            this.sentAt = sentAt;
        }

        boolean answeredOk() {
            return answeredAt != Long.MAX_VALUE && replyType == '+';
        }
    }

    /** One client connection's requests, in order; guarded by its own lock. */
    static final class Connection {
        final List<Sent> sent = new ArrayList<>();
        int answered;
    }

    private final int targetPort;
    private final ServerSocket listener;
    private final AtomicLong clock = new AtomicLong();
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    RecordingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "proxy-accept");
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Every connection's requests; read after {@link #close()}, which joins the proxy's threads. */
    List<Connection> connections() {
        return connections;
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(server);
                Connection c = new Connection();
                connections.add(c);
                start("proxy-requests", () -> requests(c, client, server));
                start("proxy-replies", () -> replies(c, server, client));
            } catch (IOException e) {
                return; // closed, or the server is gone
            }
        }
    }

    private void start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        threads.add(t);
        t.start();
    }

    /** Client → server: records each complete request before its last bytes are forwarded. */
    private void requests(Connection c, Socket from, Socket to) {
        RespParser parser = new RespParser(new RespParser.Limits() {
            @Override
            public long maxBulkLength() {
                return 1L << 30;
            }

            @Override
            public long maxArguments() {
                return 1L << 20;
            }

            @Override
            public long maxRequestBytes() {
                return 1L << 30;
            }
        });
        ByteBuf pending = Unpooled.buffer();
        try {
            forward(from, to, (chunk, n) -> {
                pending.writeBytes(chunk, 0, n);
                for (byte[][] argv = parser.next(pending, true); argv != null; argv = parser.next(pending, true)) {
                    Sent s = new Sent(argv, clock.incrementAndGet());
                    synchronized (c) {
                        c.sent.add(s);
                    }
                }
                pending.discardReadBytes();
            });
        } finally {
            pending.release();
        }
    }

    /** Server → client: stamps each complete reply before its last bytes are forwarded. */
    private void replies(Connection c, Socket from, Socket to) {
        ReplyScanner scanner = new ReplyScanner();
        forward(
                from,
                to,
                (chunk, n) -> scanner.feed(chunk, n, type -> {
                    long at = clock.incrementAndGet();
                    synchronized (c) {
                        Sent s = c.sent.get(c.answered++);
                        s.answeredAt = at;
                        s.replyType = type;
                    }
                }));
    }

    /** Sees each chunk a {@link #forward} reads, before it is forwarded. */
    @FunctionalInterface
    private interface ChunkObserver {
        void seen(byte[] chunk, int n) throws ProtocolException;
    }

    /** Copies {@code from} to {@code to} until a side closes; both sockets are closed then. */
    private static void forward(Socket from, Socket to, ChunkObserver observer) {
        byte[] chunk = new byte[64 * 1024];
        try (from;
                to) {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(chunk)) > 0; ) {
                observer.seen(chunk, n);
                out.write(chunk, 0, n);
            }
        } catch (IOException | ProtocolException e) {
            // a side closed: the copy ends, and closing both sockets ends the other direction
        }
    }

    /** Stops accepting, closes every connection and waits for the proxy's threads. */
    @Override
    public void close() throws IOException, InterruptedException {
        listener.close();
        acceptor.join();
        for (Socket s : sockets) {
            s.close();
        }
        for (Thread t : threads) {
            t.join();
        }
    }
}
