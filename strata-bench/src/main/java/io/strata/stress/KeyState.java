package io.strata.stress;

/**
 * A state of one key as the stress test models it: version {@code version} of the key, which
 * either holds {@link ValueFormat#value value(key, version)} or, when not {@code present}, is a
 * delete. Every write of a key makes its next version; version 0, absent, is the key before any
 * write.
 */
record KeyState(int version, boolean present) {
    static final KeyState INITIAL = new KeyState(0, false);

    /** The state a write of {@code present} makes next. */
    KeyState next(boolean present) {
        if (version == Integer.MAX_VALUE) {
            throw new StressFailure("a key reached " + Integer.MAX_VALUE + " versions: use a larger --keys");
        }
        return new KeyState(version + 1, present);
    }

    boolean matches(Found found) {
        return present ? found.version() == version : !found.present() && found.corruption() == null;
    }

    String describe(ValueFormat format, int key) {
        if (present) {
            return "version " + version + " (a value of " + format.value(key, version).length + " bytes)";
        }
        return version == 0 ? "absent (never written)" : "absent (version " + version + " deleted it)";
    }
}
