package io.strata.server.replication;

import java.util.List;

/** Runs, on the leader, a command another node forwarded: the server's side of {@link Replication#forward}. */
@FunctionalInterface
public interface ForwardedCommands {
    /**
     * Runs commands in order, as one connection of its own would, and returns the last one's reply
     * encoded in RESP {@code protocol}. Blocks the calling thread until they have completed.
     *
     * @param user the ACL user the client on the forwarding node is logged in as (which that node
     *     checked the commands against)
     */
    byte[] run(List<byte[][]> commands, int protocol, String user);
}
