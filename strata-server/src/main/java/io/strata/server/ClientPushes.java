package io.strata.server;

import io.strata.server.pubsub.Kind;
import io.strata.server.pubsub.Message;
import io.strata.server.pubsub.Subscriber;
import io.strata.server.resp.RespWriter;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the server sends one connection unasked: Pub/Sub messages and MONITOR's lines. Any thread
 * queues them ({@link #deliver}, {@link #monitorLine}); one task on the connection's command
 * thread encodes what is queued into the connection's writer and flushes it, so the writer stays
 * confined to that thread, and a burst of messages costs one task and one flush.
 *
 * <p>Bounded by client-output-buffer-limit's pubsub class: what is queued here plus what the
 * socket has not taken yet ({@link Connection#unsentBytes}, Netty's pending outbound bytes) may
 * not reach the hard limit, nor stay above the soft limit for its seconds. A connection past
 * them is closed and its messages dropped, as Redis does; a message that would pass the hard
 * limit is never queued, so a subscriber that does not read costs at most the hard limit.
 *
 * <p>Threads: {@link #queue}, {@link #queuedBytes}, {@link #scheduled} and {@link #unsent} are
 * thread-safe (any thread queues); {@link #overSoftSince} is confined to the I/O thread.
 */
final class ClientPushes implements Subscriber {
    /** The connection's side, as its I/O thread sees it. */
    interface Connection {
        /** The connection's writer; called on its I/O thread only. */
        RespWriter out();

        /** Sends what the writer holds (drain and flush). */
        void flush();

        /** Bytes written to the socket's queue that the socket has not taken yet; any thread. */
        long unsentBytes();

        /** Closes the connection, dropping what was not sent; called on its I/O thread. */
        void close();
    }

    private final StrataServer server;
    private final Client client;
    private final Executor executor;
    private final Connection connection;

    private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    /** The bytes of what {@link #queue} holds (estimated: {@link Message#size}, a line's length). */
    private final AtomicLong queuedBytes = new AtomicLong();
    /** Whether a drain task is queued on the I/O thread and has not started yet. */
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** Set once the connection is past its limit: nothing more is queued, and it closes. */
    private final AtomicBoolean overLimit = new AtomicBoolean();
    /** The socket's unsent bytes as the last drain saw them; read by any thread for the hard limit. */
    private final AtomicLong unsent = new AtomicLong();

    /** Since when (epoch ms) the connection has been above the soft limit; 0 if it is not. Confined. */
    private long overSoftSince;
    /** Whether what is queued waits for the reply of a command running elsewhere (a script). Confined. */
    private boolean held;

    ClientPushes(StrataServer server, Client client, Executor executor, Connection connection) {
        this.server = server;
        this.client = client;
        this.executor = executor;
        this.connection = connection;
    }

    /** CLIENT LIST's omem: what is queued here and what the socket had not taken at the last drain; any thread. */
    long outputBytes() {
        return queuedBytes.get() + unsent.get();
    }

    @Override
    public void deliver(Message m) {
        offer(m, m.size());
    }

    /** Queues one MONITOR line (its text without the leading {@code +}). */
    void monitorLine(String line) {
        offer(line, 16L + line.length());
    }

    private void offer(Object item, long size) {
        if (overLimit.get()) {
            return;
        }
        OutputBufferLimits.Limit limit = server.config().outputBufferLimits().pubsub();
        long queued = queuedBytes.addAndGet(size);
        if (limit.hard() > 0 && queued + unsent.get() >= limit.hard()) {
            queuedBytes.addAndGet(-size);
            exceeded();
            return;
        }
        queue.add(item);
        if (scheduled.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    /** Past the limit: the connection closes on its thread (once), its messages dropped. */
    private void exceeded() {
        if (overLimit.compareAndSet(false, true)) {
            server.stats().outputBufferLimitDisconnections.add(1);
            executor.execute(() -> {
                queue.clear();
                queuedBytes.set(0);
                connection.close();
            });
        }
    }

    /**
     * On the I/O thread: what is queued from now on waits until {@link #release}, as Redis
     * sends a script's own pushes after its reply (a RESP3 client that publishes to itself from a
     * script gets the script's reply first). The limits still hold meanwhile.
     */
    void hold() {
        held = true;
    }

    /** On the I/O thread, once the held command's reply is written: sends what waited. */
    void release() {
        held = false;
        drain();
    }

    /** On the I/O thread: encodes what is queued, sends it, and checks the limits on what is left unsent. */
    private void drain() {
        scheduled.set(false);
        if (overLimit.get() || client.closing || held) {
            return;
        }
        RespWriter out = connection.out();
        boolean[] wrote = {false};
        out.unmuted(() -> wrote[0] = encodeQueued(out));
        if (wrote[0]) {
            connection.flush();
        }
        checkLimits();
    }

    /** Encodes and dequeues what is queued; whether there was anything. */
    private boolean encodeQueued(RespWriter out) {
        boolean wrote = false;
        for (Object item = queue.poll(); item != null; item = queue.poll()) {
            if (item instanceof Message m) {
                queuedBytes.addAndGet(-m.size());
                encode(out, m);
            } else {
                String line = (String) item;
                queuedBytes.addAndGet(-(16L + line.length()));
                out.simple(line);
            }
            wrote = true;
        }
        return wrote;
    }

    /** After a drain: Netty's unsent bytes against the hard limit and, over time, the soft limit. */
    private void checkLimits() {
        long pending = connection.unsentBytes();
        unsent.set(pending);
        OutputBufferLimits.Limit limit = server.config().outputBufferLimits().pubsub();
        long now = System.currentTimeMillis();
        if (!limit.overSoft(pending)) {
            overSoftSince = 0;
        } else if (overSoftSince == 0) {
            overSoftSince = now;
        }
        if (limit.exceeded(pending + queuedBytes.get(), overSoftSince, now)) {
            exceeded();
        }
    }

    /** A message as Redis sends it: a push in RESP3, an array in RESP2. */
    static void encode(RespWriter out, Message m) {
        boolean pattern = m.kind() == Kind.PATTERN;
        out.push(pattern ? 4 : 3);
        out.bulk(m.kind().messageWord());
        if (pattern) {
            out.bulk(m.pattern());
        }
        out.bulk(m.channel());
        out.bulk(m.payload());
    }
}
