package io.strata.stress;

import io.strata.StrataIterator;
import java.util.ArrayList;
import java.util.List;

/**
 * What an iterator shows of the keys {@code from} (inclusive) to {@code to} (exclusive): one
 * {@link Found} per key, and a description of every entry that is none of those keys or comes
 * out of order (none of which a correct store shows).
 */
record RangeRead(int from, Found[] found, List<String> unexpected) {

    /** Reads {@code it}, positioned at the first entry of interest, up to the first key at or past {@code to}. */
    static RangeRead read(StrataIterator it, int from, int to, ValueFormat format) {
        Found[] found = new Found[to - from];
        java.util.Arrays.fill(found, Found.ABSENT);
        List<String> unexpected = new ArrayList<>();
        int last = from - 1;
        for (; it.valid(); it.next()) {
            byte[] key = it.key();
            int index = KeySpace.index(key);
            if (index >= to) {
                break;
            }
            if (index < 0 || index <= last) {
                unexpected.add((index < 0 ? "a key the test never writes: " : "a key out of order: ")
                        + KeySpace.describe(key));
                continue;
            }
            found[index - from] = Found.of(format, index, it.value());
            last = index;
        }
        return new RangeRead(from, found, unexpected);
    }

    /**
     * @throws StressFailure naming the first key that differs from {@code expected} (the
     *     states of the keys from {@code from} on), or the first unexpected entry
     */
    void requireExactly(String what, KeyState[] expected, ValueFormat format) {
        if (!unexpected.isEmpty()) {
            throw new StressFailure(what + " showed " + unexpected.get(0));
        }
        for (int i = 0; i < expected.length; i++) {
            if (!expected[i].matches(found[i])) {
                int key = from + i;
                throw new StressFailure(what + ": key " + KeySpace.describe(KeySpace.key(key)) + ": expected "
                        + expected[i].describe(format, key) + ", found " + found[i].describe());
            }
        }
    }
}
