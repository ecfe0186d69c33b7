package io.strata.server;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.strata.Options;
import io.strata.StrataDb;
import io.strata.server.acl.Acl;
import io.strata.server.acl.UserHandle;
import io.strata.server.filter.WriteFilters;
import io.strata.server.pubsub.Kind;
import io.strata.server.pubsub.PubSub;
import io.strata.server.replication.Replication;
import io.strata.server.resp.ReplyBuffer;
import io.strata.server.store.ExpiredValueFilter;
import io.strata.server.store.Keyspace;
import io.strata.server.util.ScanCursors;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redis-protocol server over one Strata store.
 *
 * <p>Threads: Netty I/O threads accept connections and move bytes; each connection's commands
 * run in order on one of a pool of command threads (a write waits for the engine's group
 * commit there, not on an I/O thread); one more thread deletes the keys whose expiry passed
 * ({@link ActiveExpiry}). {@link #start()} opens the store and binds; {@link #stop()}
 * stops accepting, lets every connection finish the requests it has received, closes the
 * connections and then the store (which syncs the WAL).
 */
// Netty's closes report their failures through the pipeline; their futures are not waited for
// except where a stop must wait (closeFuture().await...).
@SuppressWarnings("FutureReturnValueIgnored")
public final class StrataServer {
    private static final Logger log = LoggerFactory.getLogger(StrataServer.class);

    /** The Redis version reported to clients (HELLO, INFO): the command set follows Redis 7.2. */
    public static final String REDIS_VERSION = "7.2.0";

    public static final String VERSION = readVersion();

    // Shared by the threads that start and stop the server, the I/O and command threads, the
    // idle check and BGSAVE. Final fields hold thread-safe objects; the lifecycle fields, which
    // only start(), stopAccepting() and release() touch, are guarded by this object's lock; what
    // commands read is volatile (written once, by start).

    /** Its CONFIG SET settings are volatile, the others fixed before start (see ServerConfig). */
    private final ServerConfig config;
    /** Filled in the constructor (with the config's renames), then only read. */
    private final CommandTable commands = CommandTable.standard();
    /** Thread-safe. */
    private final Acl acl;
    /** Counters (LongAdder). */
    private final ServerStats stats = new ServerStats();
    /** Thread-safe (volatile settings, entries under its monitor). */
    private final SlowLog slowLog = new SlowLog();
    /** Thread-safe (volatile settings). */
    private final LatencyTracking latencyTracking = new LatencyTracking();
    /** Thread-safe (a concurrent map). */
    private final NoEffectConfig noEffectConfig = new NoEffectConfig();
    /** Thread-safe (a Caffeine cache). */
    private final ScanCursors scanCursors = new ScanCursors();
    /** Thread-safe: its lock guards the subscriptions. */
    private final PubSub pubsub = new PubSub();
    /** The MONITOR connections: added and removed by their command threads, read by every command. */
    private final Set<Client> monitors = ConcurrentHashMap.newKeySet();
    /** CLIENT PAUSE; thread-safe. */
    private final PauseState pause = new PauseState();
    /** The connected clients, by id: registered and removed by their command threads, read by any. */
    private final ConcurrentHashMap<Long, Client> clients = new ConcurrentHashMap<>();

    private final AtomicInteger connected = new AtomicInteger();
    private final AtomicLong nextClientId = new AtomicLong(1);
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean bgsaveRunning = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);
    /** Thread-safe: scripts, the Lua state and the script running now. */
    private final Scripts scripts;

    private volatile String saveParam = "";
    private volatile long lastSaveMillis;
    /** {@link Keyspace#changes} when the last SAVE began (0 before any). */
    private volatile long changesAtLastSave;

    private volatile boolean lastBgsaveOk = true;

    /** Written once, by start or {@link #overKeyspace}; read by every command. */
    private volatile Keyspace keyspace;
    /** Thread-safe; written once, with {@link #keyspace}, on its clock. */
    private volatile AccessTimes accessTimes;

    private final boolean overKeyspace;

    /** Null for a standalone server; thread-safe. */
    private final Replication replication;

    private volatile ServerMetrics metrics = ServerMetrics.DISABLED;
    /** Written once by start; read by INFO, CONFIG GET and callers. */
    private volatile long startMillis;
    /** INFO's run_id and master_replid: 40 random hex digits, new for every server, as in Redis. */
    private final String runId = randomHex40();

    private volatile int port;
    private volatile int tlsPort;
    /** Null without a TLS listener; written once, by start. Thread-safe. */
    private volatile ReloadableTls tls;

    /** The store start opened, until release closes it (null before and after). */
    @GuardedBy("this")
    private StrataDb db;

    @GuardedBy("this")
    private EventLoopGroup bossGroup;

    @GuardedBy("this")
    private EventLoopGroup ioGroup;

    @GuardedBy("this")
    private EventExecutorGroup commandGroup;

    @GuardedBy("this")
    private Channel serverChannel;

    /** How the plain port's listener was made, for CONFIG SET port to make another. */
    @GuardedBy("this")
    private ServerBootstrap plainBootstrap;

    @GuardedBy("this")
    private Channel tlsChannel;

    @GuardedBy("this")
    private ScheduledFuture<?> idleCheck;

    /** Runs {@link ActiveExpiry}'s rounds, one at a time. */
    @GuardedBy("this")
    private ScheduledExecutorService expiryThread;

    public StrataServer(ServerConfig config) {
        this(config, null, null);
    }

    /**
     * A node of a cluster: the store comes from {@code replication}, which replicates its writes.
     *
     * @param replication null for a standalone server
     */
    public StrataServer(ServerConfig config, Replication replication) {
        this(config, null, replication);
    }

    private StrataServer(ServerConfig config, Keyspace keyspace, Replication replication) {
        this.config = config;
        config.renamedCommands().forEach(commands::rename);
        this.acl = new Acl(commands.catalog(), config.requirePass(), config.aclFile(), System::currentTimeMillis);
        acl.newUsersGetAllChannels(config.aclPubsubDefault());
        this.keyspace = keyspace;
        this.overKeyspace = keyspace != null;
        this.replication = replication;
        this.scripts = new Scripts(config);
        if (keyspace != null) {
            keyspace.whileWaiting(scripts::checkWhileWaiting);
            this.accessTimes = new AccessTimes(keyspace.now());
        }
    }

    /**
     * A server over an open keyspace that listens nowhere and owns no store: its commands run
     * only through a {@link Dispatcher} the caller makes (unit tests of the commands, without a
     * socket). {@link #start()} refuses it; the caller closes the keyspace's store.
     */
    static StrataServer overKeyspace(ServerConfig config, Keyspace keyspace) {
        return new StrataServer(config, keyspace, null);
    }

    /** Opens the store and binds the port. Returns once clients can connect. */
    public synchronized StrataServer start() {
        if (db != null || overKeyspace) {
            throw new IllegalStateException(
                    overKeyspace ? "a server over a keyspace does not start" : "already started");
        }
        long t0 = System.nanoTime();
        // So do the ACL file's errors, each with its file and line.
        if (config.aclFile() != null) {
            acl.load();
        }
        // Bad certificate, key or CA files, protocols or ciphers fail here, before the store is opened.
        tls = config.tlsEnabled() ? new ReloadableTls(config) : null;
        WriteFilters filters = WriteFilters.load(
                config.writeFilters(),
                config.writeFilterOptions(),
                Thread.currentThread().getContextClassLoader() != null
                        ? Thread.currentThread().getContextClassLoader()
                        : StrataServer.class.getClassLoader());
        // So is an unreadable or empty metrics token file.
        MetricsToken metricsToken = config.metricsPort() != 0 && config.metricsTokenFile() != null
                ? MetricsToken.read(config.metricsTokenFile())
                : null;
        // Expired values are dead to compaction: their bytes leave the disk as files are rewritten.
        // A cluster node measures expiries on the group's clock, so that every node agrees.
        LongSupplier clock = replication == null ? config.clock() : replication.clock(config.clock());
        Options engineOptions = config.engineOptions().compactionFilter(new ExpiredValueFilter(clock));
        db = replication == null
                ? StrataDb.open(config.dir(), engineOptions)
                : replication.openStore(config.dir(), engineOptions);
        keyspace = new Keyspace(db, clock, filters);
        accessTimes = new AccessTimes(keyspace.now());
        keyspace.whileWaiting(scripts::checkWhileWaiting);
        startMillis = System.currentTimeMillis();
        lastSaveMillis = startMillis;
        bossGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ioGroup = new MultiThreadIoEventLoopGroup(config.ioThreads(), NioIoHandler.newFactory());
        commandGroup = new DefaultEventExecutorGroup(config.workerThreads());
        try {
            ServerBootstrap b = new ServerBootstrap()
                    .group(bossGroup, ioGroup)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 511)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.SO_KEEPALIVE, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
                    .childHandler(connections(commandGroup, null));
            plainBootstrap = b;
            serverChannel = listen(b, config.port());
            if (tls != null) {
                tlsChannel = listen(
                        b.clone().childHandler(connections(commandGroup, tls)),
                        config.tls().port());
                tlsPort = ((InetSocketAddress) tlsChannel.localAddress()).getPort();
            }
            metrics = ServerMetrics.start(this, db, config.metricsBind(), config.metricsPort(), metricsToken);
        } catch (IOException e) {
            release();
            throw new java.io.UncheckedIOException(
                    "cannot serve metrics on " + config.metricsBind() + ":" + config.metricsPort() + ": "
                            + e.getMessage(),
                    e);
        } catch (RuntimeException e) {
            release();
            throw e;
        }
        if (replication != null) {
            try {
                replication.start(
                        this::runForwarded, (channel, message) -> pubsub.publish(Kind.CHANNEL, channel, message));
            } catch (IOException e) {
                release();
                throw new java.io.UncheckedIOException("cannot join the cluster: " + e.getMessage(), e);
            } catch (RuntimeException e) {
                release();
                throw e;
            }
        }
        port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        idleCheck = bossGroup.next().scheduleAtFixedRate(this::closeIdleClients, 1, 1, TimeUnit.SECONDS);
        expiryThread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "strata-expiry");
            t.setDaemon(true);
            return t;
        });
        expiryThread.scheduleWithFixedDelay(
                new ActiveExpiry(this), ActiveExpiry.PERIOD_MILLIS, ActiveExpiry.PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        log.info(
                "Strata server {} (Redis {} protocol) listening on {}:{}, protected mode {}, ACL {}, TLS {}, "
                        + "data dir {}, checkpoints in {}, config file {}, last sequence {}, sync {}, metrics {}, "
                        + "write filters {}, started in {} ms",
                VERSION,
                REDIS_VERSION,
                config.bind(),
                port,
                ProtectedMode.describe(config.protectedMode(), acl),
                describeAcl(),
                tlsChannel != null
                        ? config.bind() + ":" + tlsPort + " (" + tls.current().describe() + ")"
                        : "off",
                config.dir().toAbsolutePath().normalize(),
                config.checkpointDir().toAbsolutePath().normalize(),
                config.configFile() != null
                        ? config.configFile().toAbsolutePath().normalize()
                        : "none",
                db.getProperty("strata.last-sequence"),
                config.sync() ? "always" : "os",
                metrics.enabled()
                        ? "http://" + config.metricsBind() + ":" + metrics.port() + "/metrics"
                                + (metricsToken != null ? " (bearer token required)" : " (no authentication)")
                        : "off",
                filters.isEmpty() ? "none" : String.join(", ", filters.names()),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        return this;
    }

    /**
     * The channel listening on {@code port} of the configured address. Netty rethrows a failed
     * bind unchecked from {@code sync}; it is named here so that a port in use reads as such.
     */
    private Channel listen(ServerBootstrap b, int port) {
        ChannelFuture bound = b.bind(new InetSocketAddress(config.bind(), port)).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            Throwable why = bound.cause();
            throw new java.io.UncheckedIOException(
                    "cannot listen on " + config.bind() + ":" + port + ": " + why.getMessage(),
                    why instanceof IOException io ? io : new IOException(why));
        }
        return bound.channel();
    }

    /**
     * The pipeline of an accepted connection: on the TLS port Netty's SslHandler first, from the
     * context current when the connection is accepted (a client that does not speak TLS, or does
     * not show a certificate the settings require, fails the handshake and is closed), then the
     * connection's handler, on the I/O thread too, which hands what may block to one of the
     * command threads.
     *
     * @param tls null on the plain port
     */
    private ChannelInitializer<SocketChannel> connections(EventExecutorGroup commandThreads, ReloadableTls tls) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                stats.connectionsReceived.add(1);
                if (tls != null) {
                    ch.pipeline().addLast("tls", tls.current().newHandler(ch.alloc()));
                }
                ch.pipeline().addLast("strata", new ClientHandler(StrataServer.this, commandThreads));
            }
        };
    }

    /** The start line's ACL: the file and how many users, or whether the default user needs a password. */
    private String describeAcl() {
        String users = acl.names().size() + " user(s)";
        return config.aclFile() != null
                ? "file " + config.aclFile().toAbsolutePath().normalize() + " (" + users + ")"
                : acl.defaultUserOpen() ? "off (default user without password)" : "default user with password";
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return port;
    }

    /**
     * CONFIG SET port: listens on {@code newPort} of the same address, then stops listening on
     * the old one; connections already open stay. If it cannot listen there, nothing changes.
     *
     * @throws IllegalArgumentException with Redis's reason when the port cannot be listened on
     */
    synchronized void listenOn(int newPort) {
        if (newPort < 1 || newPort > 65535) {
            throw new IllegalArgumentException("argument must be between 1 and 65535 (Strata always listens on TCP)");
        }
        if (newPort == port) {
            return;
        }
        if (plainBootstrap == null || stopping.get()) {
            throw new IllegalArgumentException("Unable to listen on this port: the server is not running");
        }
        Channel next;
        try {
            next = listen(plainBootstrap, newPort);
        } catch (java.io.UncheckedIOException e) {
            throw new IllegalArgumentException("Unable to listen on this port: " + e.getMessage(), e);
        }
        Channel old = serverChannel;
        serverChannel = next;
        port = newPort;
        old.close().syncUninterruptibly();
        log.info("listening on {}:{} (CONFIG SET port), no more on the old port", config.bind(), newPort);
    }

    /** The bound TLS port (useful with port 0); 0 when there is no TLS listener. */
    public int tlsPort() {
        return tlsPort;
    }

    /**
     * Rebuilds the TLS context from the files its settings name (SIGHUP): new connections get
     * the new certificate, open ones keep theirs. A failure keeps the old context and is logged.
     *
     * @return whether a new context is in use (false also when there is no TLS listener)
     */
    public boolean reloadTls() {
        ReloadableTls t = tls;
        if (t == null) {
            log.info("TLS reload asked for, but there is no TLS listener");
            return false;
        }
        return t.reload();
    }

    /** The TLS listener's context, for CONFIG SET; null when there is none. */
    ReloadableTls tls() {
        return tls;
    }

    public ServerConfig config() {
        return config;
    }

    Keyspace keyspace() {
        return keyspace;
    }

    Scripts scripts() {
        return scripts;
    }

    /** OBJECT IDLETIME's record of when keys were used. */
    AccessTimes accessTimes() {
        return accessTimes;
    }

    /** Null for a standalone server. */
    Replication replication() {
        return replication;
    }

    /**
     * Runs commands another node forwarded, in order, as a connection of its own would, and
     * returns the last one's reply (a transaction's EXEC). On the calling thread. They run as
     * their user, unrestricted: the node the client is connected to checked them against that
     * user's rules before forwarding them, and a group member's word is trusted (the Raft port
     * must be reachable only by members).
     */
    private byte[] runForwarded(List<byte[][]> commands, int protocol, String user) {
        ReplyBuffer replies = new ReplyBuffer(protocol);
        Client c = Client.forwarded(
                nextClientId.getAndIncrement(),
                protocol,
                UserHandle.unrestricted(user, this.commands.catalog().size()),
                System.currentTimeMillis());
        Dispatcher d = new Dispatcher(this, c, replies.out(), new WriteBatcher(this, replies.out(), c.events, 0));
        for (byte[][] argv : commands) {
            replies.take(); // only the last reply goes back
            d.execute(argv);
        }
        d.commit();
        return replies.take();
    }

    PubSub pubsub() {
        return pubsub;
    }

    /**
     * PUBLISH (and keyspace events): delivers to this node's subscribers and, on a cluster node,
     * hands the message to every other node for theirs ({@link Replication#publish}). Returns
     * how many of this node's subscriptions received it (Redis Cluster's PUBLISH counts the
     * receiving node's alone, too).
     */
    int publish(byte[] channel, byte[] message) {
        if (replication != null) {
            replication.publish(channel, message);
        }
        return pubsub.publish(Kind.CHANNEL, channel, message);
    }

    Set<Client> monitors() {
        return monitors;
    }

    PauseState pause() {
        return pause;
    }

    ScanCursors scanCursors() {
        return scanCursors;
    }

    Acl acl() {
        return acl;
    }

    CommandTable commands() {
        return commands;
    }

    ServerStats stats() {
        return stats;
    }

    SlowLog slowLog() {
        return slowLog;
    }

    LatencyTracking latencyTracking() {
        return latencyTracking;
    }

    NoEffectConfig noEffectConfig() {
        return noEffectConfig;
    }

    /** CONFIG RESETSTAT: INFO's counters, every command's commandstats and latencystats, errorstats. */
    void resetStats() {
        stats.reset();
        for (CommandSpec c : commands.all()) {
            c.stats().reset();
            c.subcommands().values().forEach(sub -> sub.stats().reset());
        }
    }

    ServerMetrics metrics() {
        return metrics;
    }

    /** The bound port of the metrics endpoint; 0 when metrics are off. */
    public int metricsPort() {
        return metrics.port();
    }

    long startMillis() {
        return startMillis;
    }

    String runId() {
        return runId;
    }

    private static String randomHex40() {
        byte[] b = new byte[20];
        new java.security.SecureRandom().nextBytes(b);
        return java.util.HexFormat.of().formatHex(b);
    }

    // ---- clients ----

    /** Registers a new connection; null when it would exceed maxclients. */
    Client register(Channel ch, EventExecutor executor, ClientHandler handler) {
        if (connected.incrementAndGet() > config.maxClients() || stopping.get()) {
            connected.decrementAndGet();
            return null;
        }
        Client c = new Client(
                nextClientId.getAndIncrement(),
                ch,
                executor,
                handler,
                acl.defaultUser(),
                acl.defaultUserOpen(),
                System.currentTimeMillis());
        clients.put(c.id, c);
        return c;
    }

    /** The connection has closed: its subscriptions and its MONITOR end. On its command thread. */
    void unregister(Client c) {
        PubSubCommands.dropAll(this, c);
        monitors.remove(c);
        if (clients.remove(c.id) != null) {
            connected.decrementAndGet();
        }
    }

    Collection<Client> clients() {
        return clients.values();
    }

    int connectedClients() {
        return clients.size();
    }

    /** Closes a client's connection after the replies it has been sent so far. */
    void kill(Client c) {
        c.executor.execute(() -> {
            ClientHandler h = c.handler;
            if (h != null) {
                h.shutdown();
            } else {
                c.channel.close();
            }
        });
    }

    private void closeIdleClients() {
        long timeout = config.timeoutSeconds();
        if (timeout <= 0) {
            return;
        }
        long now = System.currentTimeMillis();
        for (Client c : clients.values()) {
            if (now - c.lastInteractionMillis > timeout * 1000) {
                log.debug("closing idle client {} ({})", c.id, c.addr());
                stats.idleTimeouts.add(1);
                c.channel.close();
            }
        }
    }

    // ---- persistence ----

    static String saveParam(StrataServer s) {
        return s.saveParam;
    }

    static void saveParam(StrataServer s, String value) {
        s.saveParam = value;
    }

    long lastSaveMillis() {
        return lastSaveMillis;
    }

    boolean lastBgsaveOk() {
        return lastBgsaveOk;
    }

    boolean bgsaveInProgress() {
        return bgsaveRunning.get();
    }

    /** SAVE: writes every memtable to an SSTable and waits. */
    void save() {
        long changes = keyspace.changes();
        keyspace.db().flush();
        changesAtLastSave = changes;
        lastSaveMillis = System.currentTimeMillis();
    }

    /** INFO's rdb_changes_since_last_save: key writes stored since the last SAVE or BGSAVE began. */
    long changesSinceLastSave() {
        return keyspace.changes() - changesAtLastSave;
    }

    /** BGSAVE: the same in the background; false if one is running. */
    boolean bgsave() {
        if (!bgsaveRunning.compareAndSet(false, true)) {
            return false;
        }
        Thread t = new Thread(
                () -> {
                    try {
                        save();
                        lastBgsaveOk = true;
                    } catch (RuntimeException e) {
                        lastBgsaveOk = false;
                        log.warn("BGSAVE failed: {}", e.toString());
                    } finally {
                        bgsaveRunning.set(false);
                    }
                },
                "strata-bgsave");
        t.setDaemon(true);
        t.start();
        return true;
    }

    // ---- shutdown ----

    /** Starts {@link #stop()} on a thread of its own (SHUTDOWN runs on a command thread that stop waits for). */
    void stopAsync(String reason) {
        Thread t = new Thread(
                () -> {
                    log.info("Shutting down: {}", reason);
                    stop();
                },
                "strata-shutdown");
        t.start();
    }

    /**
     * Stops accepting connections, lets every connection finish the requests it has received and
     * write their replies, closes the connections, then closes the store (syncing the WAL).
     * Idempotent; returns once the store is closed.
     *
     * <p>Three steps: with the lock, the listeners close; without it, the connections finish
     * their requests (up to 10 seconds, too long to hold a lock for); with it again, the threads
     * stop and the store closes.
     */
    public void stop() {
        if (!stopping.compareAndSet(false, true)) {
            awaitTermination();
            return;
        }
        try {
            stopAccepting();
            scripts.abandonRunning(); // (a script never ending would hold its connection, and the stop, forever)
            closeConnections();
        } finally {
            release();
        }
    }

    private synchronized void stopAccepting() {
        if (idleCheck != null) {
            idleCheck.cancel(false);
        }
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
        if (tlsChannel != null) {
            tlsChannel.close().syncUninterruptibly();
        }
    }

    /** Runs without the lock: see {@link #stop()}. */
    private void closeConnections() {
        for (Client c : clients.values()) {
            c.channel.config().setAutoRead(false);
            kill(c); // queued behind the requests the connection has already received
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Client c : clients.values()) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !c.channel.closeFuture().awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
                c.channel.close();
            }
        }
    }

    /** Stops the threads and closes the store: the end of stop, or of a start that failed. */
    private synchronized void release() {
        try {
            stopThreads();
        } finally {
            closeStore();
        }
    }

    /** Called with the lock held. */
    @GuardedBy("this")
    private void stopThreads() {
        assert Thread.holdsLock(this);
        metrics.close(); // its gauges read the store: stop it before the store closes
        if (expiryThread != null) {
            // Not interrupted: an interrupt in the engine's file I/O would close its files. A round
            // ends within the cluster's request timeout, waiting for a leader at the worst.
            expiryThread.shutdown();
            try {
                if (!expiryThread.awaitTermination(30, TimeUnit.SECONDS)) {
                    log.warn("the active expiry did not stop within 30 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        // Accepting first, then the I/O threads (closing any connection left, whose last
        // events go to the command threads), then the command threads, which run them.
        if (bossGroup != null) {
            bossGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (ioGroup != null) {
            ioGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (commandGroup != null) {
            commandGroup.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        }
        scripts.threads().stop(5); // abandoned by stop(): each ends at its next check
    }

    /** Closes the store, once, and lets awaitTermination return. Called with the lock held. */
    @GuardedBy("this")
    private void closeStore() {
        assert Thread.holdsLock(this);
        if (db != null) {
            String last = db.getProperty("strata.last-sequence");
            try {
                db.close();
                log.info(
                        "Strata server stopped: {}:{}, data dir {}, last sequence {}, store closed",
                        config.bind(),
                        port,
                        config.dir().toAbsolutePath().normalize(),
                        last);
            } catch (RuntimeException e) {
                log.error("Strata server stopped, but closing the store failed (last sequence {})", last, e);
                throw e;
            } finally {
                db = null;
                terminated.countDown();
            }
        } else {
            terminated.countDown();
        }
    }

    /** Waits until the server has stopped. */
    public void awaitTermination() {
        try {
            terminated.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isStopped() {
        return terminated.getCount() == 0;
    }

    private static String readVersion() {
        try (InputStream in = StrataServer.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
