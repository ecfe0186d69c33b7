package io.strata.server.replication;

/**
 * A command could not be replicated, or not be read linearizably. The message is the whole
 * error reply, starting with its Redis error code: {@code TRYAGAIN} (nothing was written; the
 * client may retry), {@code CLUSTERDOWN} (no leader, or this node has stopped applying the log;
 * nothing was written), or {@code TIMEOUT} (the write may or may not have been applied: its
 * outcome is unknown).
 */
public final class ReplicationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ReplicationException(String reply) {
        super(reply);
    }

    public ReplicationException(String reply, Throwable cause) {
        super(reply, cause);
    }
}
