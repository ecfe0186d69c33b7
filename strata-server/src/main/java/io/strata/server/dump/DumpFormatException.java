package io.strata.server.dump;

/** A RESTORE payload Strata cannot load; the message is the whole error reply, code first. */
public final class DumpFormatException extends RuntimeException {
    private final boolean tooLarge;

    DumpFormatException(String reply, boolean tooLarge) {
        super(reply, null, false, false);
        this.tooLarge = tooLarge;
    }

    /** Whether the payload is well formed but holds a string larger than Strata stores. */
    public boolean tooLarge() {
        return tooLarge;
    }
}
