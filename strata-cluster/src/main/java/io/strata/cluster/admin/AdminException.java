package io.strata.cluster.admin;

/**
 * A cluster admin command could not do what it was asked: the group could not be reached, has
 * no leader, or refused the change. The message says which, in one line.
 */
public final class AdminException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AdminException(String message) {
        super(message);
    }

    public AdminException(String message, Throwable cause) {
        super(message, cause);
    }
}
