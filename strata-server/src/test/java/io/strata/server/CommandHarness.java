package io.strata.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.strata.Options;
import io.strata.StrataDb;
import io.strata.server.filter.WriteFilters;
import io.strata.server.resp.RespWriter;
import io.strata.server.store.Keyspace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Runs commands against a real store in a test directory, with no socket: each request goes
 * through the {@link Dispatcher} the server gives every connection (lookup, arity, handler,
 * error replies, the write batcher), and the replies are captured as the RESP text the client
 * would read. The keyspace's clock is fixed at {@link #START} until a test moves it.
 */
final class CommandHarness implements AutoCloseable {
    /** The clock's start: 2023-11-14T22:13:20Z, in epoch milliseconds. */
    static final long START = 1_700_000_000_000L;

    static final String OK = "+OK\r\n";
    static final String NIL = "$-1\r\n";

    /** The keyspace's clock, in epoch milliseconds. */
    final AtomicLong now = new AtomicLong(START);
    /** Milliseconds the clock moves on each reading (0: it stands still). */
    final AtomicLong tick = new AtomicLong();

    final StrataDb db;
    final StrataServer server;
    private final boolean gather;
    private final Connection main;
    private final List<Connection> others = new java.util.ArrayList<>();

    /**
     * What a test may change: the write filters, settings, whether blind writes are gathered, and
     * the engine's options (a file system that fails on demand).
     */
    record Setup(
            WriteFilters filters, UnaryOperator<ServerConfig> config, boolean gather, UnaryOperator<Options> engine) {
        Setup(WriteFilters filters, UnaryOperator<ServerConfig> config, boolean gather) {
            this(filters, config, gather, o -> o);
        }

        static Setup defaults() {
            return new Setup(WriteFilters.NONE, c -> c, true);
        }

        /** Every blind write stored on its own, as a write too large to gather is. */
        Setup ungathered() {
            return new Setup(filters, config, false, engine);
        }

        Setup withEngine(UnaryOperator<Options> more) {
            return new Setup(filters, config, gather, o -> more.apply(engine.apply(o)));
        }

        /** The server's built-in json filter under the prefix doc: redacting "password", then the test's tag filter. */
        Setup withFilters() {
            WriteFilters f = WriteFilters.load(
                    List.of("json", "tag"),
                    Map.of("json", Map.of("prefix", List.of("doc:"), "redact", List.of("password"))),
                    CommandHarness.class.getClassLoader());
            return new Setup(f, config, gather, engine);
        }

        Setup with(UnaryOperator<ServerConfig> more) {
            return new Setup(filters, c -> more.apply(config.apply(c)), gather, engine);
        }
    }

    static CommandHarness open(Path dir) {
        return open(dir, Setup.defaults());
    }

    static CommandHarness open(Path dir, Setup setup) {
        return new CommandHarness(dir, setup);
    }

    private CommandHarness(Path dir, Setup setup) {
        db = StrataDb.open(dir, setup.engine().apply(new Options()));
        Keyspace ks = new Keyspace(db, () -> now.getAndAdd(tick.get()), setup.filters());
        server = StrataServer.overKeyspace(setup.config().apply(new ServerConfig().dir(dir)), ks);
        gather = setup.gather();
        main = new Connection();
    }

    /**
     * One connection to the harness's server: its own client, write batcher and replies. The
     * harness's own methods run on its first; {@link #connect} opens more.
     */
    final class Connection {
        private final EmbeddedChannel channel = new EmbeddedChannel();
        private final StringBuilder replies = new StringBuilder();
        private final RespWriter out = new RespWriter(UnpooledByteBufAllocator.DEFAULT, this::capture);
        private final Client client;
        private final Dispatcher dispatcher;
        /** What the server runs on this connection's thread (message deliveries): run by {@link #replies}. */
        private final java.util.ArrayDeque<Runnable> tasks = new java.util.ArrayDeque<>();
        /** Whether the server closed the connection (past its output buffer limit). */
        private boolean closedByServer;

        private Connection() {
            client = server.register(channel, channel.eventLoop(), null);
            client.pushes = new ClientPushes(server, client, tasks::add, new ClientPushes.Connection() {
                @Override
                public RespWriter out() {
                    return out;
                }

                @Override
                public void flush() {
                    out.drain();
                }

                @Override
                public long unsentBytes() {
                    return 0;
                }

                @Override
                public void close() {
                    closedByServer = true;
                }
            });
            WriteBatcher batcher = gather
                    ? new WriteBatcher(server, out, client.events)
                    : new WriteBatcher(server, out, client.events, 0);
            dispatcher = new Dispatcher(server, client, out, batcher);
        }

        private void capture(ByteBuf b) {
            replies.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }

        /** Runs one request as the only one of its read (the batch commits after it); returns its reply. */
        String run(String... argv) {
            send(argv);
            return flush();
        }

        /** Runs one request as one of a pipeline: a blind write waits in the batch, unreplied. */
        Connection send(String... argv) {
            byte[][] args = new byte[argv.length][];
            for (int i = 0; i < argv.length; i++) {
                args[i] = argv[i].getBytes(StandardCharsets.UTF_8);
            }
            dispatcher.execute(args);
            return this;
        }

        /**
         * The replies encoded since the last call, without committing the batch, and then the
         * messages delivered to the connection meanwhile.
         */
        String replies() {
            out.drain();
            for (Runnable t = tasks.poll(); t != null; t = tasks.poll()) {
                t.run();
            }
            String r = replies.toString();
            replies.setLength(0);
            return r;
        }

        /** The end of a read: commits the batch, then returns the replies since the last call. */
        String flush() {
            dispatcher.commit();
            return replies();
        }

        /** Whether the server has closed the connection for passing its output buffer limit. */
        boolean closedByServer() {
            return closedByServer;
        }

        /** The connection closes, as when its socket does (its WATCHed keys are let go). */
        void disconnect() {
            channel.close().syncUninterruptibly();
            client.tx.unwatch(server.keyspace().watches());
            server.unregister(client);
        }
    }

    /** Opens another connection to the same server (closed with the harness). */
    Connection connect() {
        Connection c = new Connection();
        others.add(c);
        return c;
    }

    /** Runs one request as the only one of its read (the batch commits after it); returns its reply. */
    String run(String... argv) {
        return main.run(argv);
    }

    /** Runs one request as one of a pipeline: a blind write waits in the batch, unreplied. */
    CommandHarness send(String... argv) {
        main.send(argv);
        return this;
    }

    /** Runs one request of binary arguments; returns its reply, each byte as one ISO-8859-1 character. */
    String runBytes(byte[]... argv) {
        main.dispatcher.execute(argv);
        return flush();
    }

    /** The payload of a bulk reply {@code $n\r\n...\r\n}, as bytes. */
    static byte[] bulkBytes(String reply) {
        int header = reply.indexOf("\r\n");
        int n = Integer.parseInt(reply.substring(1, header));
        return reply.substring(header + 2, header + 2 + n).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The replies encoded since the last call, without committing the batch. */
    String replies() {
        return main.replies();
    }

    /** The end of a read: commits the batch, then returns the replies since the last call. */
    String flush() {
        return main.flush();
    }

    /** The engine's bytes for {@code key} (header and payload), or null. */
    byte[] stored(String key) {
        return db.get(key.getBytes(StandardCharsets.UTF_8));
    }

    static String bulk(String s) {
        return "$" + s.getBytes(StandardCharsets.UTF_8).length + "\r\n" + s + "\r\n";
    }

    static String integer(long n) {
        return ":" + n + "\r\n";
    }

    static String error(String text) {
        return "-" + text + "\r\n";
    }

    @Override
    public void close() {
        main.channel.close().syncUninterruptibly();
        others.forEach(c -> c.channel.close().syncUninterruptibly());
        db.close();
    }
}
