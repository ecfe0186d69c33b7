package io.strata.stress;

/**
 * What the store holds for one key: absent ({@code version} -1), the value of {@code version},
 * or a value no write of the key made ({@code corruption} says why).
 */
record Found(int version, String corruption) {
    static final Found ABSENT = new Found(-1, null);

    static Found of(ValueFormat format, int key, byte[] value) {
        if (value == null) {
            return ABSENT;
        }
        try {
            return new Found(format.versionOf(key, value), null);
        } catch (ValueFormat.CorruptValueException e) {
            return new Found(-1, e.getMessage());
        }
    }

    boolean present() {
        return version >= 0;
    }

    String describe() {
        if (corruption != null) {
            return "a corrupt value: " + corruption;
        }
        return present() ? "version " + version : "absent";
    }
}
