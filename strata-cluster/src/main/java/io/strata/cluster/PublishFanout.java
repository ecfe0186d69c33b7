package io.strata.cluster;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the messages this node's clients publish to every other member (Redis Cluster delivers a
 * PUBLISH to the subscribers of every node). Each member has a queue of its own, drained by one
 * sender at a time, which sends everything queued as one {@link PublishQuery} and waits for the
 * answer before sending more: so a member receives this node's messages at most once and in the
 * order they were published. A member that cannot be reached, or whose queue holds
 * {@link #MAX_QUEUED} messages or {@link #MAX_QUEUED_BYTES}, loses them (counted), and so does
 * every member a message larger than one query may carry ({@link RaftSettings#MAX_ENTRY_BYTES}):
 * publishing never waits for another node, and a slow member costs a bounded queue.
 *
 * <p>Threads: command threads call {@link #publish}; the senders run on {@link #senders}. This
 * object's lock guards {@link #queues} and each queue's contents and sending flag.
 */
final class PublishFanout implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PublishFanout.class);
    /** Messages waiting for one member, at most. */
    static final int MAX_QUEUED = 10_000;
    /** Bytes of the messages waiting for one member, at most. */
    static final long MAX_QUEUED_BYTES = 64L << 20;
    /** Bytes of the messages sent in one query, at most (a Raft message's limit, less room for its framing). */
    private static final long MAX_QUERY_BYTES = RaftSettings.MAX_ENTRY_BYTES;

    private final RaftPeerId self;
    /** The members now (they change with the configuration). */
    private final Supplier<Collection<RaftPeer>> members;
    /** Builds the Raft client to send with, for the members now. */
    private final ForwardingClient client;

    private final ExecutorService senders = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "strata-publish");
        t.setDaemon(true);
        return t;
    });

    /** Messages lost because a member could not take them. */
    final AtomicLong dropped = new AtomicLong();

    /** One member's messages not yet sent, their bytes, and whether a sender is at work on them. */
    private static final class Queue {
        final List<byte[][]> messages = new ArrayList<>();
        long bytes;
        boolean sending;
    }

    private static long size(byte[][] m) {
        return 8L + m[0].length + m[1].length;
    }

    @GuardedBy("this")
    private final Map<RaftPeerId, Queue> queues = new HashMap<>();

    /** @param client this fan-out's own (closed with it): nothing else may send with it */
    PublishFanout(RaftPeerId self, Supplier<Collection<RaftPeer>> members, ForwardingClient client) {
        this.self = self;
        this.members = members;
        this.client = client;
    }

    /** Queues a message for every other member; returns at once. */
    void publish(byte[] channel, byte[] message) {
        byte[][] m = {channel, message};
        long size = size(m);
        List<RaftPeerId> start = new ArrayList<>();
        synchronized (this) {
            for (RaftPeer p : members.get()) {
                if (p.getId().equals(self)) {
                    continue;
                }
                Queue q = queues.computeIfAbsent(p.getId(), id -> new Queue());
                if (q.messages.size() >= MAX_QUEUED || q.bytes + size > MAX_QUEUED_BYTES || size > MAX_QUERY_BYTES) {
                    dropped.incrementAndGet();
                    continue;
                }
                q.messages.add(m);
                q.bytes += size;
                if (!q.sending) {
                    q.sending = true;
                    start.add(p.getId());
                }
            }
        }
        for (RaftPeerId peer : start) {
            senders.execute(() -> send(peer));
        }
    }

    /** Sends what is queued for one member, query by query, until nothing is left. */
    private void send(RaftPeerId peer) {
        while (true) {
            List<byte[][]> batch;
            synchronized (this) {
                Queue q = queues.get(peer);
                if (q.messages.isEmpty()) {
                    q.sending = false;
                    return;
                }
                int n = 0;
                long bytes = 0;
                while (n < q.messages.size() && bytes + size(q.messages.get(n)) <= MAX_QUERY_BYTES) {
                    bytes += size(q.messages.get(n++));
                }
                List<byte[][]> head = q.messages.subList(0, n);
                batch = new ArrayList<>(head);
                head.clear();
                q.bytes -= bytes;
            }
            if (!sendOnce(peer, batch)) {
                dropped.addAndGet(batch.size());
            }
        }
    }

    private boolean sendOnce(RaftPeerId peer, List<byte[][]> batch) {
        Message m = Message.valueOf(UnsafeByteOperations.unsafeWrap(new PublishQuery(batch).encode()));
        try {
            RaftClientReply reply = client.query(members.get(), m, peer);
            if (!reply.isSuccess()) {
                log.debug("member {} refused {} published messages: {}", peer, batch.size(), reply.getException());
            }
            return reply.isSuccess();
        } catch (InterruptedIOException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (IOException | RuntimeException e) {
            log.debug("member {} lost {} published messages: {}", peer, batch.size(), e.toString());
            return false;
        }
    }

    @Override
    public void close() {
        senders.shutdownNow();
        client.close();
    }
}
