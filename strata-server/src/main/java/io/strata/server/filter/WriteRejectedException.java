package io.strata.server.filter;

/** A write a {@link WriteFilter} refused; the message is the client's error reply. */
public final class WriteRejectedException extends RuntimeException {
    private final String filter;

    public WriteRejectedException(String filter, String reason) {
        super("ERR write rejected by filter '" + filter + "': " + reason, null, false, false);
        this.filter = filter;
    }

    /** The name of the filter that refused the write. */
    public String filter() {
        return filter;
    }
}
