package io.strata.iterator;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.key.InternalKey;
import io.strata.key.ValueType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;

/**
 * Walks an {@link InternalIterator} at random, both ways, against the sorted entries it must
 * yield: seeks to the first, the last, to present keys and to keys between them, and runs of
 * next and prev in between, checking the position after every move. Shared by the tests of every
 * iterator, so that each is held to the same contract.
 */
public final class IteratorWalk {
    private IteratorWalk() {}

    /**
     * Random internal keys with long shared prefixes, several versions per user key, both
     * types, some user-key bytes above 0x7f (unsigned order) and some sequences near the top
     * of the 56-bit range (unsigned trailer order).
     */
    public static NavigableMap<byte[], byte[]> randomEntries(Random rnd, int n) {
        NavigableMap<byte[], byte[]> m = new TreeMap<>(InternalKey.COMPARATOR);
        while (m.size() < n) {
            byte[] user;
            if (rnd.nextInt(10) == 0) {
                byte[] tail = new byte[1 + rnd.nextInt(6)];
                rnd.nextBytes(tail);
                byte[] prefix = ("tenant-" + rnd.nextInt(4) + "/raw/").getBytes(StandardCharsets.UTF_8);
                user = Arrays.copyOf(prefix, prefix.length + tail.length);
                System.arraycopy(tail, 0, user, prefix.length, tail.length);
            } else {
                user = String.format("tenant-%d/user-%05d/field-%d", rnd.nextInt(4), rnd.nextInt(2000), rnd.nextInt(3))
                        .getBytes(StandardCharsets.UTF_8);
            }
            int versions = 1 + rnd.nextInt(3);
            for (int v = 0; v < versions; v++) {
                long seq = switch (rnd.nextInt(20)) {
                    case 0 -> InternalKey.MAX_SEQUENCE - rnd.nextInt(3);
                    case 1 -> (1L << 55) + rnd.nextInt(1000);
                    default -> 1 + rnd.nextInt(1_000_000);
                };
                int type = rnd.nextInt(5) == 0 ? ValueType.DELETION : ValueType.VALUE;
                byte[] value = new byte[type == ValueType.DELETION || rnd.nextInt(6) == 0 ? 0 : rnd.nextInt(50)];
                rnd.nextBytes(value);
                m.put(InternalKey.encode(user, seq, type), value);
            }
        }
        return m;
    }

    /** {@code moves} random moves of {@code it} (seeded by {@code rnd}) over {@code expected}. */
    public static void check(InternalIterator it, NavigableMap<byte[], byte[]> expected, Random rnd, int moves) {
        List<Map.Entry<byte[], byte[]>> entries = new ArrayList<>(expected.entrySet());
        int n = entries.size();
        int at = n; // n: not valid
        List<String> done = new ArrayList<>();
        for (int i = 0; i < moves; i++) {
            int r = rnd.nextInt(10);
            if (at == n || r == 0) {
                switch (rnd.nextInt(4)) {
                    case 0 -> {
                        it.seekToFirst();
                        at = 0;
                        done.add("seekToFirst");
                    }
                    case 1 -> {
                        it.seekToLast();
                        at = n - 1;
                        done.add("seekToLast");
                    }
                    default -> {
                        byte[] target = target(entries, rnd);
                        it.seek(target);
                        int found = Collections.binarySearch(
                                new ArrayList<>(expected.keySet()), target, InternalKey.COMPARATOR);
                        at = found >= 0 ? found : -found - 1;
                        done.add("seek " + HexFormat.of().formatHex(target));
                    }
                }
                if (at < 0 || at >= n) {
                    at = n;
                }
            } else if (r < 5) {
                it.next();
                at++;
                done.add("next");
            } else {
                it.prev();
                at = at == 0 ? n : at - 1;
                done.add("prev");
            }
            String where = "after " + done.subList(Math.max(0, done.size() - 8), done.size()) + " (move " + i + ")";
            assertThat(it.valid()).as(where).isEqualTo(at < n);
            if (at < n) {
                assertThat(it.key()).as(where).isEqualTo(entries.get(at).getKey());
                assertThat(it.value()).as(where).isEqualTo(entries.get(at).getValue());
            }
        }
    }

    /** A present key, or one just above or below a present key, or past either end. */
    private static byte[] target(List<Map.Entry<byte[], byte[]>> entries, Random rnd) {
        if (entries.isEmpty() || rnd.nextInt(10) == 0) {
            return InternalKey.encode(new byte[] {(byte) (rnd.nextBoolean() ? 0 : 0xff)}, 1, 1);
        }
        byte[] k = entries.get(rnd.nextInt(entries.size())).getKey();
        return switch (rnd.nextInt(3)) {
            case 0 -> k;
            case 1 ->
                InternalKey.encode(
                        InternalKey.userKey(k), Math.max(0, InternalKey.sequence(k) - 1), InternalKey.type(k));
            default -> InternalKey.seekKey(InternalKey.userKey(k), InternalKey.MAX_SEQUENCE);
        };
    }
}
