package io.strata.cluster;

import io.strata.Options;
import io.strata.StrataDb;
import io.strata.WriteBatch;
import io.strata.server.RaftTlsFiles;
import io.strata.server.ServerConfig;
import io.strata.server.replication.ClusterSettings;
import io.strata.server.replication.ForwardedCommands;
import io.strata.server.replication.PublishedMessages;
import io.strata.server.replication.Replication;
import io.strata.server.replication.ReplicationException;
import io.strata.server.replication.ReplicationStats;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.RaftException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.protocol.exceptions.TimeoutIOException;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of a Strata cluster: a Ratis server with one group, whose state machine applies
 * writes to this node's engine, and the {@link Replication} the RESP server calls.
 *
 * <p>Writes are evaluated on the leader (as CockroachDB's proposer-evaluated KV): the command
 * runs there under the server's per-key stripe locks, reading the leader's applied state, and
 * what it writes is proposed as one {@link WriteEntry}; the locks are held until the entry is
 * applied, so the next command on those keys reads its result. {@link #beginWrite} lets a
 * command run only on a leader that has applied every entry of earlier terms, and the entry
 * carries the term in which the command began, so one whose reads straddled a change of
 * leadership is refused when applied (TRYAGAIN) rather than applied on a stale read.
 *
 * <p>Threads: the server's command threads call every Replication method; Ratis's threads call
 * the state machine. Fields are final or volatile (set by openStore and start, before any
 * command runs).
 */
public final class ClusterNode implements Replication {
    private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);
    /** The one group of this version; several per server come with range sharding (docs/SCALING.md). */
    public static final RaftGroupId GROUP_ID = RaftGroupId.valueOf(
            UUID.nameUUIDFromBytes("strata-group-0".getBytes(java.nio.charset.StandardCharsets.UTF_8)));

    /** Threads running the commands followers forward (each waits a Raft round, as a command thread does). */
    private static final int FORWARD_THREADS = 64;
    /**
     * Entries of merged writes proposed and not yet answered at once ({@link ProposalQueue}): two,
     * so one entry is committed while the next gathers the writes that arrive meanwhile.
     */
    private static final int PROPOSALS_IN_FLIGHT = 2;

    private final ClusterSettings settings;
    private final RaftPeerId self;
    private final List<RaftPeer> peers;
    private final ClientId clientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();
    private final ExecutorService forwardPool;
    private final UnaryOperator<Options> engineCustomizer;
    private final ProposalQueue<RaftClientReply> proposals;
    /** Null: plaintext Raft traffic. */
    private final RaftTlsFiles raftTls;
    /** The gRPC transport's TLS (or none), for the Raft server and the forwarding client. */
    private final Parameters transport;

    private volatile ClusterClock clock;
    private volatile Path dataDir;
    private volatile LocalEngine engine;
    private volatile StoreStateMachine stateMachine;
    private volatile RaftServer server;
    private volatile RaftServer.Division division;
    private volatile ForwardingClient forwarding;
    private volatile PublishFanout fanout;
    /** Set by close: the division stopping then is no failure. */
    private volatile boolean closing;

    public ClusterNode(ServerConfig config) {
        this(config, UnaryOperator.identity());
    }

    /** For tests: {@code engineOptions} adjusts the engine's options (a file system that fails on demand). */
    ClusterNode(ServerConfig config, UnaryOperator<Options> engineOptions) {
        this.engineCustomizer = engineOptions;
        this.settings = config.cluster();
        // Bad certificate files stop the node here, before its store is opened.
        this.raftTls = config.raftTls();
        this.transport = RaftTls.parameters(raftTls);
        this.peers = Peers.parse(settings.peers());
        this.self = RaftPeerId.valueOf(settings.nodeId());
        RaftPeer me = peers.stream()
                .filter(p -> p.getId().equals(self))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "--peers does not list this node's id " + settings.nodeId() + ": " + settings.peers()));
        if (Peers.port(me) != settings.raftPort()) {
            throw new IllegalArgumentException("--raft-port " + settings.raftPort() + " differs from the port --peers "
                    + "gives node " + settings.nodeId() + " (" + me.getAddress() + ")");
        }
        // Bounded: a flood of forwarded commands queues here rather than making threads without end.
        this.proposals = new ProposalQueue<>(
                entry -> server.submitClientRequestAsync(request(entry.encode(), RaftClientRequest.writeRequestType())),
                PROPOSALS_IN_FLIGHT,
                settings.requestTimeoutMs());
        this.forwardPool = Executors.newFixedThreadPool(FORWARD_THREADS, r -> {
            Thread t = new Thread(r, "strata-forwarded");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public LongSupplier clock(LongSupplier local) {
        clock = new ClusterClock(
                local, () -> division != null && division.getInfo().isLeader());
        return clock;
    }

    @Override
    public StrataDb openStore(Path dir, Options engineOptions) {
        this.dataDir = dir;
        Options options = engineCustomizer.apply(engineOptions.disableWal(true));
        EngineDirectory engineDir = new EngineDirectory(dir.resolve("engine"));
        engine = new LocalEngine(StrataDb.open(engineDir.path(), options));
        stateMachine = new StoreStateMachine(engine, engineDir, options, forwardPool, clock, this::proposeLeaderTime);
        return new ReplicatedStore(engine, this);
    }

    @Override
    public void start(ForwardedCommands commands, PublishedMessages messages) throws IOException {
        stateMachine.commands(commands);
        stateMachine.messages(messages);
        RaftProperties props = RaftSettings.properties(settings, dataDir.resolve("raft"));
        RaftGroup group = settings.join() ? RaftGroup.valueOf(GROUP_ID) : RaftGroup.valueOf(GROUP_ID, peers);
        server = RaftServer.newBuilder()
                .setServerId(self)
                .setGroup(group)
                .setProperties(props)
                .setStateMachine(stateMachine)
                .setParameters(transport)
                .setOption(RaftStorage.StartupOption.RECOVER)
                .build();
        server.start();
        division = server.getDivision(GROUP_ID);
        // The clients' request timeout is the cluster's, not Ratis's 3 s: a forwarded command is
        // sent once, so a loaded leader that answers in 4 s must not make it an unknown outcome,
        // and a loaded member must still get its messages.
        RaftProperties clientProps = new RaftProperties(props);
        RaftClientConfigKeys.Rpc.setRequestTimeout(
                clientProps, TimeDuration.valueOf(settings.requestTimeoutMs(), TimeUnit.MILLISECONDS));
        forwarding = new ForwardingClient(clientProps, transport);
        // A client of its own: members that are slow to take published messages must not share
        // connections with the commands forwarded to the leader.
        fanout = new PublishFanout(
                self, () -> division.getRaftConf().getCurrentPeers(), new ForwardingClient(clientProps, transport));
        log.info(
                "Strata cluster node {} started: Raft on port {} (TLS {}), group {}, peers {}{}",
                self,
                settings.raftPort(),
                raftTls != null ? "mutual, certificate " + raftTls.certFile() + ", CA " + raftTls.caCertFile() : "off",
                GROUP_ID,
                settings.peers(),
                settings.join() ? " (joining: waits to be added)" : "");
    }

    // ---- Pub/Sub ----

    @Override
    public void publish(byte[] channel, byte[] message) {
        PublishFanout f = fanout;
        if (f != null) {
            f.publish(channel, message);
        }
    }

    /** Messages published here that some member did not get ({@link PublishFanout}). */
    long publishedLost() {
        PublishFanout f = fanout;
        return f == null ? 0 : f.dropped.get();
    }

    // ---- writes ----

    @Override
    public boolean beginWrite() {
        checkHealthy();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.requestTimeoutMs());
        while (true) {
            DivisionInfo info = division.getInfo();
            if (info.isLeader()) {
                long term = info.getCurrentTerm();
                TermIndex applied = stateMachine.getLastAppliedTermIndex();
                if (info.isLeaderReady() && applied != null && applied.getTerm() == term) {
                    EvaluationScope.begin(term);
                    return true;
                }
            } else if (info.getLeaderId() != null) {
                return false;
            }
            if (System.nanoTime() > deadline) {
                throw new ReplicationException(info.isLeader() ? CATCHING_UP : noLeader(info));
            }
            sleep(5);
        }
    }

    private static final String CATCHING_UP =
            "TRYAGAIN this node has just been elected leader and is still applying the log; nothing was written";

    private String noLeader(DivisionInfo info) {
        return "CLUSTERDOWN no leader elected within " + settings.requestTimeoutMs() + " ms (this node " + self + " is "
                + role(info) + " in term " + info.getCurrentTerm() + "); nothing was written";
    }

    @Override
    public void endWrite() {
        EvaluationScope.end();
    }

    /** Within one term only this node proposes, and its server evaluates every write it proposes. */
    @Override
    public long leadershipTerm() {
        return EvaluationScope.term();
    }

    /** Proposes one command's writes and waits until this node has applied them. */
    void propose(WriteBatch batch) {
        if (batch.count() == 0) {
            return;
        }
        replicate(batch);
    }

    /**
     * Run by a new leader once it is ready: an entry with no writes, whose leader time lets every
     * follower's {@link ClusterClock} follow the new leader's at once, not at the next write.
     */
    private void proposeLeaderTime() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.requestTimeoutMs());
        while (System.nanoTime() < deadline) {
            DivisionInfo info = division == null ? null : division.getInfo();
            if (info == null || !info.isLeader()) {
                return;
            }
            if (info.isLeaderReady()) {
                try {
                    replicate(new WriteBatch());
                } catch (ReplicationException e) {
                    log.debug("leader time entry: {}", e.getMessage());
                }
                return;
            }
            sleep(10);
        }
    }

    @Override
    public void clearAll() {
        replicate(WriteEntry.clear(EvaluationScope.term(), clock.getAsLong()));
    }

    /** Proposes one command's writes, gathered with those of concurrent commands ({@link ProposalQueue}). */
    private void replicate(WriteBatch batch) {
        checkHealthy();
        checkSize(WriteEntry.HEADER + batch.encodedSize());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.requestTimeoutMs());
        checkReply(await(
                proposals.propose(EvaluationScope.term(), clock.getAsLong(), batch, deadline),
                deadline,
                unknownOutcome()));
    }

    /** Proposes an entry alone: a new leader's time, FLUSHALL's deletion of every key. */
    private void replicate(WriteEntry writeEntry) {
        checkHealthy();
        byte[] entry = writeEntry.encode();
        checkSize(entry.length);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.requestTimeoutMs());
        CompletableFuture<RaftClientReply> reply;
        try {
            reply = server.submitClientRequestAsync(request(entry, RaftClientRequest.writeRequestType()));
        } catch (IOException e) {
            throw new ReplicationException(
                    "TRYAGAIN this node cannot propose the write: " + e.getMessage() + "; nothing was written", e);
        }
        checkReply(await(reply, deadline, unknownOutcome()));
    }

    private String unknownOutcome() {
        return "TIMEOUT the write was proposed but not committed within " + settings.requestTimeoutMs()
                + " ms; it may or may not have been applied";
    }

    private static void checkSize(long entryBytes) {
        if (entryBytes > RaftSettings.MAX_ENTRY_BYTES) {
            throw new ReplicationException("ERR Strata cluster: this write is " + entryBytes + " bytes; one "
                    + "replicated entry holds at most " + RaftSettings.MAX_ENTRY_BYTES + " bytes. Nothing was written");
        }
    }

    private void checkReply(RaftClientReply reply) {
        if (!reply.isSuccess()) {
            throw failed(reply.getException());
        }
        ByteBuffer b = reply.getMessage().getContent().asReadOnlyByteBuffer();
        if (b.remaining() > 0 && b.get() == StoreStateMachine.REJECTED) {
            throw new ReplicationException("TRYAGAIN leadership changed while the command ran; nothing was written");
        }
    }

    private ReplicationException failed(RaftException e) {
        if (e instanceof StateMachineException) {
            // Committed, so the other nodes apply it; this node failed to, and has stopped.
            return new ReplicationException(
                    "UNKNOWN the write was committed but this node could not apply it and has stopped ("
                            + (failure() != null ? failure() : e.getMessage()) + "); the other nodes apply it",
                    e);
        }
        if (e instanceof org.apache.ratis.protocol.exceptions.NotLeaderException
                || e instanceof org.apache.ratis.protocol.exceptions.LeaderNotReadyException) {
            return new ReplicationException(
                    "TIMEOUT leadership changed while the write was being committed; it may or may not have been "
                            + "applied",
                    e);
        }
        return new ReplicationException(
                "TIMEOUT the write failed (" + e.getMessage() + "); it may or may not have been applied", e);
    }

    // ---- forwarding ----

    /**
     * Sends the commands to the node this one takes for the leader, once: a forwarded command
     * that may have reached a leader is never sent again, because a leader that ran it and died
     * before answering would make a second run apply it twice (an INCR counted twice, a DEL that
     * answers 0). It is resent only when nothing can have run: no leader is known, the node
     * answered that it is not the leader, or no connection to it could be made.
     */
    @Override
    public byte[] forward(List<byte[][]> commands, int protocol, String user) {
        checkHealthy();
        Message query =
                Message.valueOf(UnsafeByteOperations.unsafeWrap(new NodeQuery(commands, protocol, user).encode()));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.requestTimeoutMs());
        while (true) {
            RaftPeerId leader = division.getInfo().getLeaderId();
            if (leader != null) {
                ByteBuffer b = forwardOnce(query, leader);
                if (b != null && b.get() == StoreStateMachine.FORWARD_REPLY) {
                    byte[] out = new byte[b.remaining()];
                    b.get(out);
                    return out;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new ReplicationException("CLUSTERDOWN no leader accepted the command within "
                        + settings.requestTimeoutMs() + " ms; nothing was written");
            }
            checkHealthy();
            sleep(20);
        }
    }

    /**
     * The reply of {@code leader} to one sending of {@code query}, or null if it cannot have run
     * there ({@link #nothingRan}).
     */
    private ByteBuffer forwardOnce(Message query, RaftPeerId leader) {
        RaftClientReply reply;
        try {
            reply = forwarding.query(division.getRaftConf().getCurrentPeers(), query, leader);
        } catch (InterruptedIOException e) {
            Thread.currentThread().interrupt();
            throw forwardOutcomeUnknown(leader, "this node was interrupted while waiting", e);
        } catch (IOException e) {
            if (causedBy(e, TimeoutIOException.class)) {
                throw forwardOutcomeUnknown(leader, "no reply came within " + settings.requestTimeoutMs() + " ms", e);
            }
            if (nothingRan(e)) {
                return null;
            }
            throw forwardOutcomeUnknown(leader, "it failed (" + e + ")", e);
        }
        if (!reply.isSuccess()) {
            if (nothingRan(reply.getException())) {
                return null;
            }
            throw forwardOutcomeUnknown(leader, "it failed (" + reply.getException() + ")", reply.getException());
        }
        return reply.getMessage().getContent().asReadOnlyByteBuffer();
    }

    private static ReplicationException forwardOutcomeUnknown(RaftPeerId leader, String what, Throwable cause) {
        return new ReplicationException(
                "TIMEOUT the command was forwarded to the leader " + leader + " and " + what
                        + "; if it writes, it may or may not have been applied",
                cause);
    }

    /**
     * Whether {@code t} says the command cannot have run: no connection was made, so nothing was
     * sent; or the node refused the query before running it because it has committed nothing
     * yet (a node just started: Ratis's stale read needs a commit index of at least 0).
     */
    private static boolean nothingRan(Throwable t) {
        return causedBy(t, java.net.ConnectException.class)
                || causedBy(t, org.apache.ratis.protocol.exceptions.StaleReadException.class);
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> kind) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (kind.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    // ---- reads ----

    /**
     * Retries, within the request timeout, whatever keeps the read point from being confirmed (an
     * election, a leader that has just died): a read changes nothing, so asking again is safe, and
     * the read then waits for the new leader rather than failing at once.
     */
    @Override
    public void awaitRead() {
        checkHealthy();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.requestTimeoutMs());
        String why;
        while (true) {
            CompletableFuture<RaftClientReply> f;
            try {
                f = server.submitClientRequestAsync(
                        request(NodeQuery.BARRIER.encode(), RaftClientRequest.readRequestType()));
            } catch (IOException e) {
                throw new ReplicationException("TRYAGAIN cannot start a linearizable read: " + e.getMessage(), e);
            }
            try {
                RaftClientReply reply = f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (reply.isSuccess()) {
                    return;
                }
                why = reply.getException() == null
                        ? "no reason given"
                        : reply.getException().getMessage();
            } catch (TimeoutException e) {
                f.cancel(false);
                why = "no read point confirmed";
            } catch (ExecutionException e) {
                why = String.valueOf(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ReplicationException("TRYAGAIN interrupted while confirming a linearizable read", e);
            }
            if (System.nanoTime() > deadline) {
                break;
            }
            checkHealthy();
            sleep(20);
        }
        DivisionInfo info = division.getInfo();
        throw new ReplicationException(
                info.getLeaderId() == null
                        ? noLeader(info).replace("; nothing was written", "") + ": cannot read linearizably (" + why
                                + ")"
                        : "TRYAGAIN cannot confirm a linearizable read within " + settings.requestTimeoutMs() + " ms ("
                                + why + ")");
    }

    // ---- state ----

    @Override
    public String failure() {
        StoreStateMachine sm = stateMachine;
        if (sm == null) {
            return null;
        }
        String f = sm.failure();
        RaftServer.Division d = division;
        if (f == null && d != null && !closing && !d.getInfo().isAlive()) {
            f = "this node's Raft division stopped (" + d.getInfo().getLifeCycleState() + ")";
        }
        return f;
    }

    private void checkHealthy() {
        String f = failure();
        if (f != null) {
            throw new ReplicationException("CLUSTERDOWN " + f);
        }
        if (division == null) {
            throw new ReplicationException("TRYAGAIN this node is starting");
        }
    }

    @Override
    public String info() {
        return NodeStatus.of(this).info();
    }

    @Override
    public String clusterInfo() {
        return NodeStatus.of(this).detail();
    }

    @Override
    public ReplicationStats stats() {
        return NodeStatus.of(this).stats();
    }

    RaftServer.Division division() {
        return division;
    }

    StoreStateMachine stateMachine() {
        return stateMachine;
    }

    RaftPeerId self() {
        return self;
    }

    ClusterSettings settings() {
        return settings;
    }

    /** Whether Raft traffic runs over mutual TLS: {@code mutual} or {@code off}. */
    String raftTls() {
        return RaftTls.describe(raftTls);
    }

    static String role(DivisionInfo info) {
        return info.getCurrentRole().name().toLowerCase(Locale.ROOT);
    }

    /** For tests: the value this node's engine holds for {@code key} (expired or not), or null. */
    byte[] engineValue(byte[] key) {
        return engine.read(db -> db.get(key));
    }

    /** Leaves the group, then closes the engine. Idempotent. */
    void close() {
        closing = true;
        if (forwarding != null) {
            forwarding.close();
        }
        if (fanout != null) {
            fanout.close();
        }
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException e) {
            log.warn("closing the Raft server: {}", e.toString());
        }
        forwardPool.shutdownNow();
        try {
            engine.close();
        } catch (RuntimeException e) {
            // Nothing is lost: the Raft log is purged only up to what the engine made durable,
            // so the next start replays whatever this flush could not write.
            log.warn(
                    "the engine could not flush at close; the next start replays those entries from the Raft "
                            + "log: {}",
                    e.toString());
        }
    }

    /**
     * Whether linearizable reads rest on the leader's lease rather than a ReadIndex round
     * (--lease-reads), as the running Ratis server was configured.
     */
    boolean leaseReads() {
        RaftServer s = server;
        return s == null ? settings.leaseReads() : RaftServerConfigKeys.Read.leaderLeaseEnabled(s.getProperties());
    }

    // ---- helpers ----

    private RaftClientRequest request(byte[] message, RaftClientRequest.Type type) {
        return RaftClientRequest.newBuilder()
                .setClientId(clientId)
                .setServerId(self)
                .setGroupId(GROUP_ID)
                .setCallId(callIds.incrementAndGet())
                .setMessage(Message.valueOf(UnsafeByteOperations.unsafeWrap(message)))
                .setType(type)
                .build();
    }

    /**
     * Waits for {@code f} until {@code deadlineNanos}; a timeout, or a failure that does not say
     * itself what happened to the write, is reported as {@code timeoutReply}.
     */
    private static RaftClientReply await(
            CompletableFuture<RaftClientReply> f, long deadlineNanos, String timeoutReply) {
        try {
            return f.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new ReplicationException(timeoutReply, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ReplicationException r) {
                throw new ReplicationException(r.getMessage(), r);
            }
            throw new ReplicationException(
                    timeoutReply.replaceFirst(" within \\d+ ms", "") + " (" + e.getCause() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplicationException(timeoutReply, e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplicationException("TRYAGAIN interrupted; nothing was written", e);
        }
    }
}
