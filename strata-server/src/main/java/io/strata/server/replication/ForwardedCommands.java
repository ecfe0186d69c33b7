package io.strata.server.replication;

/** Runs, on the leader, a command another node forwarded: the server's side of {@link Replication#forward}. */
@FunctionalInterface
public interface ForwardedCommands {
    /**
     * Runs one command as a connection of its own would, and returns its reply encoded in RESP
     * {@code protocol}. Blocks the calling thread until the command has completed.
     *
     * @param user the ACL user the client on the forwarding node is logged in as (which that node
     *     checked the command against)
     */
    byte[] run(byte[][] argv, int protocol, String user);
}
