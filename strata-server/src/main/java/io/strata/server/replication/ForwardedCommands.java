package io.strata.server.replication;

/** Runs, on the leader, a command another node forwarded: the server's side of {@link Replication#forward}. */
@FunctionalInterface
public interface ForwardedCommands {
    /**
     * Runs one command as a connection of its own would, and returns its reply encoded in RESP
     * {@code protocol}. Blocks the calling thread until the command has completed.
     */
    byte[] run(byte[][] argv, int protocol);
}
