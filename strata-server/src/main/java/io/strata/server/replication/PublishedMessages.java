package io.strata.server.replication;

/** Delivers, on this node, a message another node published: the server's side of {@link Replication#publish}. */
@FunctionalInterface
public interface PublishedMessages {
    /** Delivers to this node's subscribers of the channel and of the patterns it matches; must not block. */
    void deliver(byte[] channel, byte[] message);
}
