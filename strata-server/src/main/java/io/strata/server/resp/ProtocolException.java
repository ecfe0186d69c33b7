package io.strata.server.resp;

/**
 * A request that breaks the RESP grammar or one of the server's limits. The stream cannot be
 * resynchronised after one, so the server replies {@code -ERR Protocol error: <message>} and
 * closes the connection.
 */
public final class ProtocolException extends Exception {
    public ProtocolException(String message) {
        super(message, null, false, false);
    }
}
