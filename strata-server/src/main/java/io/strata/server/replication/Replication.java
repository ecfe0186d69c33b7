package io.strata.server.replication;

import io.strata.Options;
import io.strata.StrataDb;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * How a server's commands reach a store that a group of nodes replicates. A standalone server
 * has none; module strata-cluster provides one through {@link ReplicationProvider}.
 *
 * <p>The contract, which the server's dispatcher keeps:
 *
 * <ul>
 *   <li>The store {@link #openStore} returns replicates its writes: a put, delete or batch
 *       returns once the group has committed it and this node has applied it, or throws
 *       {@link ReplicationException}. The server's per-key stripe locks, held by a command from
 *       its first read to its last write, are the latches that keep two commands on one key from
 *       being evaluated on the same state.
 *   <li>A write command runs on this node only between {@link #beginWrite} returning true and
 *       {@link #endWrite}: then this node leads the group and has applied every entry of earlier
 *       terms, so what the command reads is the committed state of its keys. When it returns
 *       false the command is {@link #forward}ed to the leader instead.
 *   <li>A read command runs after {@link #awaitRead} (linearizable), unless its connection chose
 *       stale reads (READONLY).
 *   <li>A transaction (EXEC) runs on this node like a write command, with every stripe lock held,
 *       and its writes are one batch, so one entry; a transaction that wrote nothing waits for
 *       {@link #awaitRead} before it replies. A follower forwards the whole transaction.
 * </ul>
 *
 * <p>Thread-safe: every command thread calls it.
 */
public interface Replication {
    /**
     * The clock expiries are measured on, in epoch milliseconds, given this node's own: the
     * group's time, so that nodes whose clocks disagree still agree on whether a key has expired.
     * Called before {@link #openStore}.
     */
    LongSupplier clock(LongSupplier local);

    /** Opens the store the server runs over, in {@code dir}, with the engine options the server chose. */
    StrataDb openStore(Path dir, Options engineOptions);

    /**
     * Joins the group, once the server can run the commands that other nodes forward to it and
     * deliver the messages they publish.
     */
    void start(ForwardedCommands commands, PublishedMessages messages) throws IOException;

    /**
     * Hands a message published on this node (PUBLISH, a keyspace event) to every other member,
     * whose server delivers it to its own subscribers ({@link PublishedMessages}). Returns at once:
     * at most once to each member, in the order this node published, and lost for a member that
     * cannot be reached or falls too far behind (as Redis Cluster's bus loses it).
     */
    void publish(byte[] channel, byte[] message);

    /**
     * Called by a command thread before a write command: true if it is to run here (and then
     * {@link #endWrite} after it), false if it is to be forwarded.
     *
     * @throws ReplicationException when no leader is known within the configured time
     */
    boolean beginWrite();

    /** Ends the write command that {@link #beginWrite} let run on this thread. */
    void endWrite();

    /**
     * Deletes every key, as one replicated entry (FLUSHDB, FLUSHALL): called by a write command
     * running here, with every stripe lock held.
     *
     * @throws ReplicationException as a write does
     */
    void clearAll();

    /**
     * Runs commands on the leader, in order, as one connection of its own would, and returns the
     * last one's reply, encoded in RESP {@code protocol}: one write command, or a transaction
     * (MULTI, the queued commands, EXEC), which the leader runs as one entry. The caller has
     * checked that {@code user} may run them; the leader runs them as that user.
     *
     * @throws ReplicationException when it cannot, saying whether the write may have been applied
     */
    byte[] forward(List<byte[][]> commands, int protocol, String user);

    /**
     * The term of this node's leadership, for the write command running on this thread (between
     * {@link #beginWrite} returning true and {@link #endWrite}). While it stays the same, every
     * write applied on this node is one this node's server ran, through its keyspace, so WATCH
     * sees them all; a write applied from the log of another term is not seen.
     */
    long leadershipTerm();

    /**
     * Waits until this node has applied everything the group had committed when the call began
     * (Raft's ReadIndex), so that a read after it sees every write acknowledged before it.
     *
     * @throws ReplicationException when that cannot be established in the configured time
     */
    void awaitRead();

    /** The lines of INFO's replication section, in Redis's {@code name:value} form, each ending in CRLF. */
    String info();

    /** STRATA.CLUSTER INFO: the same in detail. */
    String clusterInfo();

    /** This node's figures now, for the metrics endpoint (read once per scrape). */
    ReplicationStats stats();

    /** Null while this node applies the replicated log; once it has stopped applying, why. */
    String failure();
}
