package io.strata.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.strata.server.resp.ProtocolException;
import io.strata.server.resp.ReplyBuffer;
import io.strata.server.resp.RespParser;
import io.strata.server.resp.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection. It gathers the bytes read, parses every complete request, has its {@link
 * Dispatcher} execute them one by one in order, encodes the replies into one buffer and writes
 * it; the socket is flushed once per read, when no more input is waiting, so a pipeline of N
 * requests costs one flush, not N.
 *
 * <p>It runs on the connection's I/O thread, which must never block: a GET runs there when its
 * value is in memory ({@link Dispatcher#executeInline}) and no request follows it in the input.
 * Any other command, a GET with a pipeline behind it (one hand-off for the lot costs less than
 * running it all on the I/O thread, and spreads it over the command threads), and a GET that
 * would read a file, is handed with everything after it to the connection's command thread, which
 * may block (on the log's group commit, a table read, the cluster); once that has run what was
 * read, the connection is handed back. Meanwhile the I/O thread only gathers what arrives.
 *
 * <p>Parsing and executing alternate request by request, so an AUTH takes effect before the
 * next request is even parsed (the pre-AUTH limits apply exactly to what comes before it, as
 * in Redis), and a protocol error ends the connection after the replies of the requests
 * before it.
 *
 * <p>Consecutive blind writes (SET without NX/XX/GET/KEEPTTL, SETEX, PSETEX, MSET) are
 * gathered into one engine {@code WriteBatch}: one commit, one WAL append (and one fsync in
 * sync mode) for the run, replied to only once it is durable.
 *
 * <p>It is the last handler of the pipeline and passes no event on: the pipeline's tail does
 * nothing with them.
 *
 * <p>A command that runs a script runs on a script thread instead ({@link ScriptThreads}), with
 * a dispatcher and a reply buffer of its own; meanwhile the connection runs nothing else and
 * is not read from, and the reply is appended to the writer, and what came in meanwhile run,
 * by a task back on the I/O thread.
 *
 * <p>Threads: Netty runs every event of this handler on the connection's I/O thread. Its
 * writer, parser, dispatcher, input and the connection's {@link Client} state that commands
 * change (transaction, reply mode, events) belong to whichever thread runs its commands: the
 * I/O thread, or the command thread (or a script thread) it is handed to, by the executor's
 * submission, and back by the task that resumes the connection, which order those accesses.
 * While they are away, the I/O thread touches none of them: input goes to {@link #arrived}, the
 * client's pushes are held, and other threads' tasks for the connection ({@link #whenIdle})
 * wait. The fields marked "I/O thread" are only ever used there.
 */
// Netty's writes and closes report their failures through the pipeline (exceptionCaught,
// channelInactive): their futures are not waited for.
@SuppressWarnings("FutureReturnValueIgnored")
final class ClientHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ClientHandler.class);
    private static final long PAUSE_POLL_MILLIS = 10;

    private final StrataServer server;
    /** Where commands that may block are run: one thread of this group, chosen at connect. */
    private final EventExecutorGroup commandThreads;

    private EventExecutor commandThread;
    /** I/O thread: the connection's commands are running on {@link #commandThread}. */
    private boolean onCommandThread;
    /** I/O thread: what was read while {@link #onCommandThread}, joined to the input once it is back. */
    private ByteBuf arrived;
    /** I/O thread: other threads' tasks for the connection that came while it was on its command thread. */
    private final ArrayDeque<Runnable> deferred = new ArrayDeque<>();
    /** I/O thread: the connection closed while {@link #onCommandThread}: it is let go once that is back. */
    private boolean inactiveWhenBack;
    /**
     * A parsed command to run before anything else is parsed: the one that took the connection to
     * its command thread, or one the command thread leaves to the I/O thread (a script, or one
     * CLIENT PAUSE holds).
     */
    private byte[][] next;

    private Client client;
    private RespParser parser;
    private RespWriter out;
    private Dispatcher dispatcher;
    private ByteBuf input;
    private boolean wrote;
    /** A command CLIENT PAUSE holds, parsed, to run first once the pause lets it. */
    private byte[][] held;
    /** A script command of this connection is running on a script thread. */
    private boolean offloaded;
    /** The connection closed while {@link #offloaded}: it is unregistered once the script is done. */
    private boolean forgetWhenBack;

    private ChannelHandlerContext ctx;

    ClientHandler(StrataServer server, EventExecutorGroup commandThreads) {
        this.server = server;
        this.commandThreads = commandThreads;
    }

    @Override
    public void channelRegistered(ChannelHandlerContext ctx) {
        // the last handler: nothing to pass on
    }

    @Override
    public void channelUnregistered(ChannelHandlerContext ctx) {
        // the last handler: nothing to pass on
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        io.netty.util.ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        ServerConfig cfg = server.config();
        if (ProtectedMode.refuses(
                cfg.protectedMode(), server.acl(), ctx.channel().remoteAddress())) {
            // Before registering: the connection runs nothing (client stays null, its input is dropped).
            server.stats().rejectedConnections.add(1);
            log.debug("protected mode: refused {}", Client.address(ctx.channel().remoteAddress()));
            ctx.writeAndFlush(Unpooled.copiedBuffer(ProtectedMode.DENIED, StandardCharsets.US_ASCII))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        client = server.register(ctx.channel(), ctx.executor(), this);
        commandThread = commandThreads.next();
        out = new RespWriter(ctx.alloc(), buf -> {
            server.stats().netOutputBytes.add(buf.readableBytes());
            ctx.write(buf, ctx.voidPromise());
            wrote = true;
        });
        parser = new RespParser(new RespParser.Limits() {
            @Override
            public long maxBulkLength() {
                return cfg.protoMaxBulkLen();
            }

            @Override
            public long maxArguments() {
                return cfg.protoMaxMultibulkLen();
            }

            @Override
            public long maxRequestBytes() {
                return cfg.clientQueryBufferLimit();
            }
        });
        if (client == null) {
            // Over maxclients: Redis's reply, then close.
            server.stats().rejectedConnections.add(1);
            ctx.writeAndFlush(
                            Unpooled.copiedBuffer("-ERR max number of clients reached\r\n", StandardCharsets.US_ASCII))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        dispatcher = new Dispatcher(server, client, out, new WriteBatcher(server, out, client.events));
        client.pushes = new ClientPushes(server, client, ctx.executor(), new ClientPushes.Connection() {
            @Override
            public RespWriter out() {
                return out;
            }

            @Override
            public void flush() {
                out.drain();
                if (wrote) {
                    wrote = false;
                    ctx.flush();
                }
            }

            @Override
            public long unsentBytes() {
                ChannelOutboundBuffer b = ctx.channel().unsafe().outboundBuffer();
                return b == null ? 0 : b.totalPendingWriteBytes();
            }

            @Override
            public void close() {
                log.debug("client {} ({}): past client-output-buffer-limit, closed", client.id, client.addr());
                client.closing = true;
                out.discard();
                ctx.close();
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (onCommandThread) {
            server.stats().netInputBytes.add(in.readableBytes());
            arrived = ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(
                    ctx.alloc(), arrived == null ? Unpooled.EMPTY_BUFFER : arrived, in);
            return;
        }
        if (client == null || client.closing) {
            in.release();
            return;
        }
        server.stats().netInputBytes.add(in.readableBytes());
        input = ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(
                ctx.alloc(), input == null ? Unpooled.EMPTY_BUFFER : input, in);
        if (held == null && !offloaded) { // else resume runs it, after the held or offloaded command
            process(false);
        }
    }

    /**
     * Runs the commands waiting, in order, until the input holds no complete one.
     *
     * @param mayBlock on the command thread: everything runs here, but for what it leaves to the
     *     I/O thread in {@link #next}; on the I/O thread (false) a command that may block hands the
     *     connection over
     */
    private void process(boolean mayBlock) {
        boolean handOver = false;
        while (!client.closing) {
            byte[][] argv = null;
            if (next != null) {
                argv = next;
                next = null;
            } else if (held != null) {
                argv = held;
                held = null;
            }
            try {
                if (argv == null && input != null) { // no input: a held command's resumption, and nothing after it
                    argv = parser.next(input, !AccessControl.authRequired(client, server.acl()));
                }
            } catch (ProtocolException e) {
                dispatcher.commit();
                server.stats().protocolErrors.add(1);
                String text = "ERR Protocol error: " + e.getMessage();
                server.stats().errorReply(text);
                log.debug("client {} ({}): protocol error: {}", client.id, client.addr(), e.getMessage());
                out.error(text);
                closeAfterReplies();
                break;
            }
            if (argv == null) {
                break;
            }
            boolean paused = server.pause()
                    .holds(client, server.commands().of(argv), server.commands(), System.currentTimeMillis());
            if (!paused) {
                client.lastInteractionMillis = System.currentTimeMillis();
            }
            boolean script = !paused && ScriptThreads.takes(client, argv, server.commands());
            if (mayBlock && (paused || script)) {
                next = argv; // the I/O thread holds it, or hands it to a script thread
                break;
            }
            if (paused) {
                hold(argv);
                break;
            }
            if (script) {
                offload(argv);
                break;
            }
            if (mayBlock) {
                dispatcher.execute(argv);
            } else if ((input != null && input.isReadable()) // a pipeline: one hand-off for it all costs less
                    || !dispatcher.mayRunInline(argv)
                    || !dispatcher.executeInline(argv)) {
                next = argv;
                handOver = true;
                break;
            }
        }
        dispatcher.commit();
        out.drain();
        if (input != null) {
            if (!input.isReadable()) {
                input.release();
                input = null;
            } else {
                input.discardSomeReadBytes();
            }
        }
        if (client.closing) {
            finishClose();
        }
        if (handOver) {
            toCommandThread();
        }
    }

    /**
     * Hands the connection to its command thread, which runs {@link #next} and what follows it.
     * Pushes to the client wait meanwhile: they go out after the replies that are being made.
     */
    private void toCommandThread() {
        onCommandThread = true;
        server.stats().commandThreadHandovers.add(1);
        client.pushes.hold();
        try {
            commandThread.execute(this::runOnCommandThread);
        } catch (RejectedExecutionException e) {
            log.debug("client {}: the server is stopping", client.id);
            onCommandThread = false;
            ctx.close();
        }
    }

    /** On the command thread: runs what the connection holds, sends the replies, hands the connection back. */
    private void runOnCommandThread() {
        try {
            process(true);
            if (wrote) {
                wrote = false;
                ctx.flush();
            }
        } catch (RuntimeException e) {
            log.warn("client {} ({}): a command failed as none should", client.id, client.addr(), e);
            ctx.close();
        } finally {
            try {
                ctx.executor().execute(this::backFromCommandThread);
            } catch (RejectedExecutionException e) {
                log.debug("client {}: the server stopped while its command ran", client.id);
            }
        }
    }

    /** On the I/O thread, once the command thread is done: what came meanwhile, held pushes and tasks, more reads. */
    private void backFromCommandThread() {
        onCommandThread = false;
        if (arrived != null) {
            input = input == null
                    ? arrived
                    : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), input, arrived);
            arrived = null;
        }
        if (inactiveWhenBack) {
            channelInactive(ctx);
            return;
        }
        client.pushes.release();
        while (!deferred.isEmpty()) {
            deferred.poll().run();
        }
        if (!client.closing) {
            processAndRead();
        }
    }

    /**
     * Runs, on the I/O thread, a task of another thread that reads or changes what the connection's
     * commands use (its subscriptions, its close): now, or once the connection is back from its
     * command thread.
     */
    void whenIdle(Runnable task) {
        assert ctx.executor().inEventLoop() : "a connection's task off its I/O thread";
        if (onCommandThread) {
            deferred.add(task);
        } else {
            task.run();
        }
    }

    /**
     * CLIENT PAUSE holds this command: it waits, parsed, and the connection is not read from
     * meanwhile; every {@link #PAUSE_POLL_MILLIS} the connection looks again whether the pause
     * still holds it (the pause's own timeout bounds the wait).
     */
    private void hold(byte[][] argv) {
        held = argv;
        ctx.channel().config().setAutoRead(false);
        ctx.executor().schedule(this::resume, PAUSE_POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void resume() {
        if (held == null || client.closing) {
            return;
        }
        processAndRead();
    }

    /** Runs what is waiting and, unless a command is held or offloaded again, reads on. */
    private void processAndRead() {
        process(false);
        if (held == null && !offloaded) {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        }
        channelReadComplete(ctx);
    }

    /**
     * Runs a script command on a script thread; the connection waits for it, unread. The writes
     * gathered before it are committed first, so the script sees them.
     */
    private void offload(byte[][] argv) {
        dispatcher.commit();
        offloaded = true;
        client.pushes.hold();
        ctx.channel().config().setAutoRead(false);
        ReplyBuffer reply = new ReplyBuffer(client.protocol);
        Dispatcher elsewhere =
                new Dispatcher(server, client, reply.out(), new WriteBatcher(server, reply.out(), client.events));
        server.scripts().threads().execute(() -> {
            byte[] replies = null; // stays null if it failed as no command should (a bug)
            try {
                elsewhere.execute(argv);
                elsewhere.commit();
                replies = reply.take();
            } catch (RuntimeException e) {
                log.warn("client {} ({}): a script command failed", client.id, client.addr(), e);
            } finally {
                byte[] done = replies;
                try {
                    ctx.executor().execute(() -> back(done));
                } catch (RejectedExecutionException e) {
                    log.debug("client {}: the server stopped while its script ran", client.id);
                }
            }
        });
    }

    /**
     * On the I/O thread, once an offloaded command is done: its reply, then what came meanwhile.
     * Without a reply (its thread failed, and logged why) the connection closes, as after any
     * failure of its handler.
     */
    private void back(byte[] replies) {
        offloaded = false;
        if (forgetWhenBack) {
            forget();
            return;
        }
        if (client.closing) {
            return;
        }
        if (replies == null) {
            ctx.close();
            return;
        }
        out.raw(replies);
        client.pushes.release();
        processAndRead();
    }

    /** Stops executing requests; the connection closes once the replies so far are written. */
    void closeAfterReplies() {
        client.closing = true;
    }

    private void finishClose() {
        out.drain();
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        wrote = false;
        if (input != null) {
            input.release();
            input = null;
        }
    }

    /**
     * Run on this connection's I/O thread (by CLIENT KILL and the server's shutdown): replies
     * written so far go out, then it closes; if its commands are running on its command thread,
     * once they are done.
     */
    void shutdown() {
        whenIdle(this::shutdownNow);
    }

    private void shutdownNow() {
        if (client != null && !client.closing) {
            client.closing = true;
            // Its subscriptions end before the client can see the close: a PUBLISH it sends once
            // its connection is gone finds no subscriber left (channelInactive comes later).
            PubSubCommands.dropAll(server, client);
            finishClose();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!onCommandThread && wrote) {
            wrote = false;
            ctx.flush();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // Backpressure: a client that does not read its replies stops being read from.
        ctx.channel().config().setAutoRead(ctx.channel().isWritable() && held == null && !offloaded);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (onCommandThread) {
            inactiveWhenBack = true; // its command thread still uses the input and the writer
            return;
        }
        if (input != null) {
            input.release();
            input = null;
        }
        if (out != null) {
            out.discard();
        }
        if (client != null) {
            client.closing = true;
            if (offloaded) {
                forgetWhenBack = true; // its script thread still runs the connection's command
            } else {
                forget();
            }
        }
    }

    private void forget() {
        client.tx.unwatch(server.keyspace().watches());
        server.unregister(client);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof java.io.IOException) {
            log.debug("client connection error: {}", cause.toString());
        } else if (cause instanceof io.netty.handler.codec.DecoderException
                && cause.getCause() instanceof javax.net.ssl.SSLException) {
            // On the TLS port: a client that does not speak TLS, or a failed handshake.
            log.debug("client TLS error: {}", cause.getCause().toString());
        } else {
            log.warn("client connection failed", cause);
        }
        ctx.close();
    }
}
