package io.strata.server.replication;

/**
 * A command could not be replicated, or not be read linearizably. The message is the whole
 * error reply, starting with its Redis error code: {@code TRYAGAIN} (nothing was written; the
 * client may retry), {@code CLUSTERDOWN} (no leader, or this node has stopped applying the log;
 * nothing was written), {@code TIMEOUT} (no answer in time: the write may or may not have been
 * applied), or {@code UNKNOWN} (committed, so the other nodes apply it, but this node failed to
 * apply it and stopped).
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
