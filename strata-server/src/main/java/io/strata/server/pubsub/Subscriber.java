package io.strata.server.pubsub;

/** Where one connection's messages go. */
public interface Subscriber {
    /**
     * Queues a message for the connection, from any thread, without blocking: it is written on
     * the connection's own thread. A connection past its output buffer limit drops it and is closed.
     */
    void deliver(Message m);
}
