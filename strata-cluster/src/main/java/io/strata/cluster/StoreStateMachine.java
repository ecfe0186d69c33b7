package io.strata.cluster;

import io.strata.Options;
import io.strata.StrataDb;
import io.strata.WriteBatch;
import io.strata.server.replication.ForwardedCommands;
import io.strata.server.replication.PublishedMessages;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Raft state machine over this node's engine: applies committed {@link WriteEntry}s in log
 * order, each as one engine batch that carries its log position as the engine's marker, so the
 * position becomes durable exactly with the data it covers (the engine's WAL is off: the Raft log
 * is the only log).
 *
 * <p>Restart: Ratis replays the log from the newest snapshot's index + 1; entries at or below the
 * engine's durable position are already in the engine and are skipped. The log is purged only up
 * to a snapshot, and a snapshot is taken from the engine after a flush, so the engine's durable
 * position is never behind the newest snapshot (and where a crash during an installation left it
 * behind, {@link #initialize} installs the snapshot first): every entry the engine lacks is
 * still in the log.
 *
 * <p>Failure: an engine error while applying a committed entry stops this node's state machine
 * (Ratis closes the division when applyTransaction throws) after one ERROR line; {@link #failure}
 * then says why, and the server refuses reads and writes rather than serve a state that skipped
 * an entry. Redis's own errors (WRONGTYPE, not an integer) never reach here: the leader evaluated
 * the command, and the entry holds only its writes.
 *
 * <p>Threads: Ratis's apply thread calls applyTransaction, takeSnapshot and reinitialize, one at
 * a time; its RPC threads call query (forwarded commands run on {@code forwardPool}), pause and
 * getLatestSnapshot. Fields read across them are volatile or thread-safe.
 */
final class StoreStateMachine extends BaseStateMachine {
    private static final Logger log = LoggerFactory.getLogger(StoreStateMachine.class);
    static final byte APPLIED = 0;
    static final byte REJECTED = 1;
    static final byte FORWARD_REPLY = 0;
    static final byte NOT_LEADER = 1;

    private final LocalEngine engine;
    private final EngineDirectory engineDir;
    private final Options engineOptions;
    private final CheckpointSnapshots snapshots = new CheckpointSnapshots();
    private final ExecutorService forwardPool;
    private final ClusterClock clock;
    /** Run (on the forward pool) when this node becomes leader: it proposes the leader-time entry. */
    private final Runnable onLeadership;

    /** Entries at or below this index are in the engine already (written by the apply thread, read by it). */
    private volatile long skipThrough = -1;
    /** Set once, by the server's start, before Ratis can deliver a forwarded command. */
    private volatile ForwardedCommands commands;
    /** Set once with {@link #commands}: where the messages other members publish are delivered. */
    private volatile PublishedMessages messages;

    private volatile String failure;
    /** Set by an installation, so that the first entry applied after it is logged (apply thread only). */
    private boolean firstAfterInstall;

    private volatile RaftServer.Division division;

    final AtomicLong snapshotsTaken = new AtomicLong();
    final AtomicLong snapshotInstalls = new AtomicLong();
    final AtomicLong leaderChanges = new AtomicLong();
    final AtomicLong entriesApplied = new AtomicLong();
    final AtomicLong entriesRejected = new AtomicLong();

    StoreStateMachine(
            LocalEngine engine,
            EngineDirectory engineDir,
            Options engineOptions,
            ExecutorService pool,
            ClusterClock clock,
            Runnable onLeadership) {
        this.engine = engine;
        this.clock = clock;
        this.onLeadership = onLeadership;
        this.engineDir = engineDir;
        this.engineOptions = engineOptions;
        this.forwardPool = pool;
    }

    void commands(ForwardedCommands c) {
        this.commands = c;
    }

    void messages(PublishedMessages m) {
        this.messages = m;
    }

    /** What runs the commands followers forward here (tests wrap it). */
    ForwardedCommands commands() {
        return commands;
    }

    /** Null while healthy; why this node stopped applying, once it has. */
    String failure() {
        return failure;
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return snapshots;
    }

    CheckpointSnapshots snapshots() {
        return snapshots;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage storage) throws IOException {
        super.initialize(server, groupId, storage);
        snapshots.init(storage);
        division = server.getDivision(groupId);
        getLifeCycle().startAndTransition(() -> {
            SnapshotInfo latest = snapshots.latest();
            AppliedPosition durable = engine.read(db -> AppliedPosition.fromMarker(db.durableMarker()));
            if (latest != null && durable.index() < latest.getIndex()) {
                log.info(
                        "engine holds the log up to {}, behind snapshot {}: installing the snapshot",
                        durable,
                        latest.getTermIndex());
                installSnapshot(snapshots.newestDir());
            } else {
                skipThrough = durable.index();
                log.info("engine holds the log up to {}; newest snapshot {}", durable, latest);
            }
            if (latest != null) {
                setLastAppliedTermIndex(latest.getTermIndex());
            }
        });
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto e = trx.getLogEntry();
        long term = e.getTerm();
        long index = e.getIndex();
        catchUp(index);
        if (firstAfterInstall) {
            firstAfterInstall = false;
            log.info(
                    "first entry after the installation: {} ({})",
                    TermIndex.valueOf(term, index),
                    index <= skipThrough ? "in the engine already" : "applied");
        }
        if (index <= skipThrough) {
            updateLastAppliedTermIndex(term, index);
            return reply(APPLIED);
        }
        WriteEntry w;
        try {
            w = WriteEntry.decode(e.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer());
        } catch (IllegalArgumentException ex) {
            throw stop("entry " + TermIndex.valueOf(term, index) + " cannot be decoded: " + ex.getMessage(), ex);
        }
        RaftServer.Division d = division;
        if (d != null && index >= d.getRaftLog().getLastCommittedIndex()) {
            // A live entry (not one replayed or caught up on): its leader time is recent.
            clock.applied(w.leaderTimeMillis());
        }
        if (w.evaluationTerm() != 0 && w.evaluationTerm() != term) {
            // Evaluated by a leader of another term: what it read may be stale. Nothing applies.
            updateLastAppliedTermIndex(term, index);
            entriesRejected.incrementAndGet();
            return reply(REJECTED);
        }
        byte[] marker = new AppliedPosition(term, index).toMarker();
        try {
            engine.read(db -> {
                if (w.clearsAll()) {
                    deleteEverything(db, marker);
                } else {
                    db.write(w.batch().marker(marker));
                }
                return null;
            });
        } catch (RuntimeException ex) {
            throw stop("the engine failed to apply entry " + TermIndex.valueOf(term, index) + ": " + ex, ex);
        }
        updateLastAppliedTermIndex(term, index);
        entriesApplied.incrementAndGet();
        return reply(APPLIED);
    }

    /**
     * FLUSHDB's entry: deletes every key this node holds, 1,000 per batch, the marker on the last.
     * Interrupted by a crash, it is applied again from the log (deleting is idempotent), since the
     * marker did not move.
     */
    private static void deleteEverything(StrataDb db, byte[] marker) {
        WriteBatch batch = new WriteBatch();
        try (io.strata.StrataIterator it = db.iterator()) {
            for (it.seekToFirst(); it.valid(); it.next()) {
                batch.delete(it.key());
                if (batch.count() == 1000) {
                    db.write(batch);
                    batch = new WriteBatch();
                }
            }
        }
        db.write(batch.marker(marker));
    }

    private static CompletableFuture<Message> reply(byte code) {
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(new byte[] {code})));
    }

    /** Records why this node stops applying, logs it once, and returns the exception that stops Ratis's apply. */
    private IllegalStateException stop(String why, Exception cause) {
        if (failure == null) {
            failure = "this node stopped applying the replicated log: " + why;
            log.error("Strata cluster node {}: {}", getId(), failure, cause);
        }
        return new IllegalStateException(failure, cause);
    }

    @Override
    public long takeSnapshot() throws IOException {
        TermIndex last = getLastAppliedTermIndex();
        if (last == null || failure != null) {
            return RaftLog.INVALID_LOG_INDEX;
        }
        try {
            engine.read(db -> {
                // The marker first, so the checkpoint claims exactly the position it is labelled with.
                db.write(new WriteBatch().marker(new AppliedPosition(last.getTerm(), last.getIndex()).toMarker()));
                try {
                    snapshots.take(db, last);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return null;
            });
        } catch (RuntimeException e) {
            // Ratis closes the division when takeSnapshot throws: as fatal as a failed apply.
            throw stop("the engine failed to take snapshot " + last + ": " + e, e);
        }
        snapshotsTaken.incrementAndGet();
        log.info(
                "snapshot {} taken (engine last sequence {})",
                last,
                engine.read(db -> db.getProperty("strata.last-sequence")));
        return last.getIndex();
    }

    @Override
    public void pause() {
        LifeCycle lc = getLifeCycle();
        if (lc.getCurrentState() == LifeCycle.State.RUNNING) {
            lc.transition(LifeCycle.State.PAUSING);
            lc.transition(LifeCycle.State.PAUSED);
        }
    }

    /**
     * After Ratis installed a snapshot from the leader into the state-machine directory. A second
     * installation may finalize meanwhile (Ratis then coalesces the two reloads into this one
     * call): what this reports is always what the engine holds, it installs again while a newer
     * snapshot has arrived, and {@link #catchUp} installs one that arrives after its last look
     * once the log goes on past it (until then, for at most that moment, a read on this node may
     * see the state of the earlier snapshot).
     */
    @Override
    public void reinitialize() throws IOException {
        LifeCycle lc = getLifeCycle();
        // Again while a newer one has arrived meanwhile, so that reads after this see the newest.
        java.nio.file.Path installed;
        do {
            installed = snapshots.newestDir();
            installSnapshot(installed);
        } while (!installed.equals(snapshots.newestDir()));
        if (lc.getCurrentState() == LifeCycle.State.PAUSED) {
            lc.transition(LifeCycle.State.STARTING);
            lc.transition(LifeCycle.State.RUNNING);
        }
    }

    /** Replaces the engine with the checkpoint in {@code snapshot}; the applied position becomes the snapshot's. */
    private void installSnapshot(java.nio.file.Path snapshot) {
        TermIndex ti = CheckpointSnapshots.position(snapshot);
        engine.replace(() -> {
            engineDir.install(snapshot);
            return StrataDb.open(engineDir.path(), engineOptions);
        });
        skipThrough = engine.read(db -> AppliedPosition.fromMarker(db.durableMarker()))
                .index();
        setLastAppliedTermIndex(ti);
        snapshotInstalls.incrementAndGet();
        firstAfterInstall = true;
        log.info(
                "snapshot {} installed: the engine holds the log up to index {} (last sequence {})",
                ti,
                skipThrough,
                engine.read(db -> db.getProperty("strata.last-sequence")));
    }

    /**
     * Called with each entry before it is applied: Ratis hands entries in order from what it
     * takes to be applied, so an entry beyond the one after this state machine's applied
     * position means Ratis moved on to a snapshot the engine does not hold yet (a second
     * installation whose reload was coalesced with the first). Then that snapshot is installed
     * here; if no snapshot covers the gap, entries are missing and the node stops.
     */
    private void catchUp(long index) {
        TermIndex applied = getLastAppliedTermIndex();
        if (applied == null || index <= applied.getIndex() + 1) {
            return;
        }
        java.nio.file.Path newest = snapshots.newestDir();
        if (newest == null || CheckpointSnapshots.position(newest).getIndex() < index - 1) {
            throw stop(
                    "entry " + index + " follows applied index " + applied.getIndex()
                            + " and no snapshot covers the entries between",
                    null);
        }
        log.warn(
                "entry {} follows applied index {}: installing snapshot {}, which arrived while the one before was "
                        + "being installed",
                index,
                applied.getIndex(),
                newest.getFileName());
        installSnapshot(newest);
    }

    @Override
    public void notifyTermIndexUpdated(long term, long index) {
        catchUp(index);
        super.notifyTermIndexUpdated(term, index);
    }

    @Override
    public CompletableFuture<Message> query(Message request) {
        ByteBuffer content = request.getContent().asReadOnlyByteBuffer();
        if (PublishQuery.is(content)) {
            return delivered(content);
        }
        NodeQuery q;
        try {
            q = NodeQuery.decode(content);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (q.barrier()) {
            return CompletableFuture.completedFuture(Message.EMPTY);
        }
        RaftServer.Division d = division;
        ForwardedCommands c = commands;
        if (d == null || c == null || !d.getInfo().isLeader()) {
            return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(new byte[] {NOT_LEADER})));
        }
        return CompletableFuture.supplyAsync(
                () -> {
                    byte[] reply = c.run(q.commands(), q.protocol(), q.user());
                    byte[] out = new byte[reply.length + 1];
                    out[0] = FORWARD_REPLY;
                    System.arraycopy(reply, 0, out, 1, reply.length);
                    return Message.valueOf(ByteString.copyFrom(out));
                },
                forwardPool);
    }

    /** Another member's published messages: delivered to this node's subscribers (which only queues them). */
    private CompletableFuture<Message> delivered(ByteBuffer content) {
        PublishQuery p;
        try {
            p = PublishQuery.decode(content);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        PublishedMessages m = messages;
        if (m != null) {
            p.messages().forEach(pair -> m.deliver(pair[0], pair[1]));
        }
        return CompletableFuture.completedFuture(Message.EMPTY);
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
        leaderChanges.incrementAndGet();
        log.info("leader is now {}", newLeaderId);
        if (groupMemberId.getPeerId().equals(newLeaderId)) {
            forwardPool.execute(onLeadership);
        }
    }

    @Override
    public void notifyExtendedNoLeader(RoleInfoProto roleInfoProto) {
        log.warn("no leader for a long time: {}", roleInfoProto.getRole());
    }

    @Override
    public void close() throws IOException {
        super.close();
    }
}
