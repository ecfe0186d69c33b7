package io.strata.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.ReadOptions;
import io.strata.StrataDb;
import io.strata.StrataIterator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transaction's view walked both ways against a model: the store's keys with the
 * transaction's puts over them and its deletions taken out, within random bounds.
 */
class OverlayIteratorTest {
    private static final long SEED = 0x0e1a_e17aL;

    @TempDir
    Path dir;

    @Test
    void walksBothWaysLikeTheMergedMap() {
        System.out.println("OverlayIteratorTest seed " + SEED);
        Random rnd = new Random(SEED);
        try (StrataDb db = StrataDb.open(dir)) {
            for (int round = 0; round < 40; round++) {
                NavigableMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
                byte[] prefix = {(byte) round};
                for (int i = 0; i < 30; i++) {
                    byte[] k = key(prefix, rnd);
                    db.put(k, k);
                    model.put(k, k);
                }
                OverlayStore tx = new OverlayStore(db);
                for (int i = 0; i < rnd.nextInt(30); i++) {
                    byte[] k = key(prefix, rnd);
                    if (rnd.nextInt(3) == 0) {
                        tx.delete(k);
                        model.remove(k);
                    } else {
                        byte[] v = {(byte) i};
                        tx.put(k, v);
                        model.put(k, v);
                    }
                }
                byte[] lower = rnd.nextInt(3) == 0 ? prefix : key(prefix, rnd);
                byte[] upper = rnd.nextInt(3) == 0 ? new byte[] {(byte) (round + 1)} : key(prefix, rnd);
                NavigableMap<byte[], byte[]> view = Arrays.compareUnsigned(lower, upper) < 0
                        ? model.subMap(lower, true, upper, false)
                        : new TreeMap<>(Arrays::compareUnsigned);
                try (StrataIterator it =
                        tx.iterator(new ReadOptions().lowerBound(lower).upperBound(upper))) {
                    walk(it, view, prefix, rnd, "round " + round);
                }
            }
        }
    }

    private static void walk(
            StrataIterator it, NavigableMap<byte[], byte[]> view, byte[] prefix, Random rnd, String what) {
        byte[] at = null;
        List<String> done = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            if (at == null || rnd.nextInt(8) == 0) {
                byte[] target = key(prefix, rnd);
                switch (rnd.nextInt(4)) {
                    case 0 -> {
                        it.seekToFirst();
                        at = view.isEmpty() ? null : view.firstKey();
                        done.add("seekToFirst");
                    }
                    case 1 -> {
                        it.seekToLast();
                        at = view.isEmpty() ? null : view.lastKey();
                        done.add("seekToLast");
                    }
                    case 2 -> {
                        it.seek(target);
                        at = view.ceilingKey(target);
                        done.add("seek " + HexFormat.of().formatHex(target));
                    }
                    default -> {
                        it.seekForPrev(target);
                        at = view.floorKey(target);
                        done.add("seekForPrev " + HexFormat.of().formatHex(target));
                    }
                }
            } else if (rnd.nextBoolean()) {
                it.next();
                at = view.higherKey(at);
                done.add("next");
            } else {
                it.prev();
                at = view.lowerKey(at);
                done.add("prev");
            }
            String where = what + " after " + done.subList(Math.max(0, done.size() - 6), done.size());
            assertThat(it.valid()).as(where).isEqualTo(at != null);
            if (at != null) {
                assertThat(it.key()).as(where).isEqualTo(at);
                assertThat(it.value()).as(where).isEqualTo(view.get(at));
            }
        }
    }

    /** A key under {@code prefix}, from a small space so that the store's and the transaction's keys collide. */
    private static byte[] key(byte[] prefix, Random rnd) {
        return new byte[] {prefix[0], (byte) rnd.nextInt(60)};
    }
}
