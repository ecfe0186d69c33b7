package io.strata.stress;

/**
 * What a get without the key's lock may find: the states of the key from {@code before}, its
 * acknowledged state read before the get, up to the highest version issued by the time of the
 * reads after it ({@code inFlight}, the write recorded in flight, read before {@code after},
 * the acknowledged state: so a write in flight when the get ended is either still recorded in
 * flight or acknowledged by the second read). The versions strictly between before and after
 * are unknown, so any of them may be a delete. ({@code inFlight}'s version is read relative to
 * {@code before}, see {@link ExpectedState#pending}.)
 */
record GetWindow(KeyState before, KeyState inFlight, KeyState after) {

    int highest() {
        return inFlight == null ? after.version() : Math.max(after.version(), inFlight.version());
    }

    boolean allows(Found found) {
        if (found.corruption() != null) {
            return false;
        }
        if (found.present()) {
            return found.version() >= before.version()
                    && found.version() <= highest()
                    && !isDelete(before, found)
                    && !isDelete(after, found)
                    && !isDelete(inFlight, found);
        }
        return !before.present()
                || !after.present()
                || (inFlight != null && !inFlight.present())
                || after.version() - before.version() >= 2;
    }

    /** Whether {@code state} says the found version is a delete. */
    private static boolean isDelete(KeyState state, Found found) {
        return state != null && !state.present() && state.version() == found.version();
    }

    String describe(ValueFormat format, int key) {
        return before.describe(format, key)
                + (highest() > before.version()
                        ? " or a state up to version " + highest() + " (written meanwhile)"
                        : "");
    }
}
