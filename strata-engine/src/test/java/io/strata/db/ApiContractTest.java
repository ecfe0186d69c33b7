package io.strata.db;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.Limits;
import io.strata.Options;
import io.strata.ReadOptions;
import io.strata.Snapshot;
import io.strata.StrataDb;
import io.strata.StrataException;
import io.strata.StrataIterator;
import io.strata.WriteBatch;
import io.strata.WriteOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public API's behaviour for ordinary use and for every misuse a caller can make. */
class ApiContractTest {
    @TempDir
    Path dir;

    static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void putGetDeleteAndOverwrite() {
        try (StrataDb db = StrataDb.open(dir)) {
            assertThat(db.get(b("k"))).isNull();
            db.put(b("k"), b("v1"));
            db.put(b("k"), b("v2"), new WriteOptions().sync(true));
            assertThat(db.get(b("k"))).isEqualTo(b("v2"));
            db.delete(b("k"));
            assertThat(db.get(b("k"))).isNull();
            db.delete(b("never-existed"));
            db.put(b("empty"), new byte[0]);
            assertThat(db.get(b("empty"))).isEmpty();
        }
    }

    @Test
    void returnedValuesAreCopiesTheCallerMayModify() {
        try (StrataDb db = StrataDb.open(dir)) {
            db.put(b("k"), b("value"));
            byte[] v = db.get(b("k"));
            v[0] = 'X';
            assertThat(db.get(b("k"))).isEqualTo(b("value"));
            byte[] key = b("k2");
            byte[] val = b("v2");
            db.put(key, val);
            key[0] = 'z';
            val[0] = 'z';
            assertThat(db.get(b("k2"))).isEqualTo(b("v2"));
        }
    }

    @Test
    void batchIsAppliedInOrderAndAtomically() {
        try (StrataDb db = StrataDb.open(dir)) {
            db.put(b("a"), b("old"));
            db.write(new WriteBatch()
                    .put(b("a"), b("1"))
                    .delete(b("a"))
                    .put(b("b"), b("2"))
                    .put(b("b"), b("3")));
            assertThat(db.get(b("a"))).isNull();
            assertThat(db.get(b("b"))).isEqualTo(b("3"));
            db.write(new WriteBatch());
        }
    }

    @Test
    void iteratorOrdersKeysByUnsignedBytesAndHonoursBounds() {
        try (StrataDb db = StrataDb.open(dir)) {
            byte[][] keys = {{(byte) 0xff}, {0x01}, {(byte) 0x80, 0}, {0x7f}, {0x01, 0x00}};
            for (byte[] k : keys) {
                db.put(k, k);
            }
            assertThat(keysOf(db.iterator()))
                    .containsExactly(
                            new byte[] {0x01},
                            new byte[] {0x01, 0x00},
                            new byte[] {0x7f},
                            new byte[] {(byte) 0x80, 0},
                            new byte[] {(byte) 0xff});
            ReadOptions bounded =
                    new ReadOptions().lowerBound(new byte[] {0x01, 0x00}).upperBound(new byte[] {(byte) 0x80, 0});
            assertThat(keysOf(db.iterator(bounded))).containsExactly(new byte[] {0x01, 0x00}, new byte[] {0x7f});
            try (StrataIterator it = db.iterator(bounded)) {
                it.seek(new byte[] {0x00});
                assertThat(it.key()).isEqualTo(new byte[] {0x01, 0x00});
                it.seek(new byte[] {(byte) 0x90});
                assertThat(it.valid()).isFalse();
                assertThatThrownBy(it::key).isInstanceOf(IllegalStateException.class);
                assertThatThrownBy(it::prev).isInstanceOf(IllegalStateException.class);
                assertThatThrownBy(it::next).isInstanceOf(IllegalStateException.class);
            }
        }
    }

    /** Backwards within the bounds; seekForPrev lands at or before its key; turning around works. */
    @Test
    void iteratorMovesBackwardsWithinTheBounds() {
        try (StrataDb db = StrataDb.open(dir)) {
            for (String k : List.of("a", "b", "c", "d", "e")) {
                db.put(b(k), b(k.toUpperCase(Locale.ROOT)));
            }
            db.delete(b("c"));
            ReadOptions bounded = new ReadOptions().lowerBound(b("b")).upperBound(b("e"));
            try (StrataIterator it = db.iterator(bounded)) {
                it.seekToLast();
                assertThat(it.key()).isEqualTo(b("d"));
                assertThat(it.value()).isEqualTo(b("D"));
                it.prev();
                assertThat(it.key()).isEqualTo(b("b"));
                it.prev();
                assertThat(it.valid()).isFalse();
                it.seekForPrev(b("c"));
                assertThat(it.key()).isEqualTo(b("b"));
                it.next();
                assertThat(it.key()).isEqualTo(b("d"));
                it.seekForPrev(b("z"));
                assertThat(it.key()).isEqualTo(b("d"));
                it.seekForPrev(b("a"));
                assertThat(it.valid()).isFalse();
            }
        }
    }

    static List<byte[]> keysOf(StrataIterator it) {
        List<byte[]> out = new ArrayList<>();
        try (it) {
            for (it.seekToFirst(); it.valid(); it.next()) {
                out.add(it.key());
            }
        }
        return out;
    }

    @Test
    void snapshotSeesTheStateWhenTaken() {
        try (StrataDb db = StrataDb.open(dir)) {
            db.put(b("k"), b("before"));
            try (Snapshot s = db.snapshot()) {
                db.put(b("k"), b("after"));
                db.put(b("new"), b("x"));
                db.flush();
                ReadOptions at = new ReadOptions().snapshot(s);
                assertThat(db.get(b("k"), at)).isEqualTo(b("before"));
                assertThat(db.get(b("new"), at)).isNull();
                assertThat(keysOf(db.iterator(at))).containsExactly(b("k"));
            }
        }
    }

    @Test
    void badKeysAndValuesAreRejectedAndLeaveTheStoreIntact() {
        try (StrataDb db = StrataDb.open(dir)) {
            db.put(b("ok"), b("v"));
            assertThatThrownBy(() -> db.put(null, b("v")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("null");
            assertThatThrownBy(() -> db.put(new byte[0], b("v")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("empty");
            assertThatThrownBy(() -> db.put(new byte[Limits.MAX_KEY_SIZE + 1], b("v")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("limit");
            assertThatThrownBy(() -> db.put(b("k"), null)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> db.put(b("k"), new byte[Limits.MAX_VALUE_SIZE + 1]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("limit");
            assertThatThrownBy(() -> db.delete(new byte[0])).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> db.get(null)).isInstanceOf(IllegalArgumentException.class);
            db.put(new byte[Limits.MAX_KEY_SIZE], b("max key is fine"));
            assertThat(db.get(b("ok"))).isEqualTo(b("v"));
        }
        try (StrataDb db = StrataDb.open(dir)) {
            assertThat(db.get(b("ok"))).isEqualTo(b("v"));
            assertThat(db.get(new byte[Limits.MAX_KEY_SIZE])).isEqualTo(b("max key is fine"));
        }
    }

    @Test
    void useAfterCloseIsAnIllegalStateNamingTheStore() {
        StrataDb db = StrataDb.open(dir);
        Snapshot snap = db.snapshot();
        StrataIterator it = db.iterator();
        db.close();
        db.close();
        assertThatThrownBy(() -> db.put(b("k"), b("v")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> db.get(b("k"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(db::iterator).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(db::flush).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(it::seekToFirst).isInstanceOf(IllegalStateException.class);
        snap.close();
    }

    @Test
    void snapshotsFromElsewhereOrClosedAreRejected() {
        try (StrataDb db = StrataDb.open(dir.resolve("a"));
                StrataDb other = StrataDb.open(dir.resolve("b"))) {
            Snapshot foreign = other.snapshot();
            assertThatThrownBy(() -> db.get(b("k"), new ReadOptions().snapshot(foreign)))
                    .isInstanceOf(IllegalArgumentException.class);
            Snapshot s = db.snapshot();
            s.close();
            assertThatThrownBy(() -> db.get(b("k"), new ReadOptions().snapshot(s)))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aSecondOpenOfTheSameDirectoryFailsClearly() {
        try (StrataDb db = StrataDb.open(dir)) {
            assertThatThrownBy(() -> StrataDb.open(dir))
                    .isInstanceOf(StrataException.class)
                    .hasMessageContaining("already open");
            db.put(b("k"), b("v"));
        }
        try (StrataDb db = StrataDb.open(dir)) {
            assertThat(db.get(b("k"))).isEqualTo(b("v"));
        }
    }

    @Test
    void createIfMissingAndErrorIfExists() {
        Path missing = dir.resolve("missing");
        assertThatThrownBy(() -> StrataDb.open(missing, new Options().createIfMissing(false)))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("createIfMissing");
        assertThat(Files.exists(missing)).isFalse();
        StrataDb.open(missing).close();
        assertThatThrownBy(() -> StrataDb.open(missing, new Options().errorIfExists(true)))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("already exists");
        StrataDb.open(missing, new Options().createIfMissing(false)).close();
    }

    @Test
    void badOptionsAreRejected() {
        assertThatThrownBy(() -> new Options().writeBufferSize(10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Options().maxImmutableMemtables(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Options().blockSize(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Options().bloomBitsPerKey(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void propertiesReportTheStore() {
        try (StrataDb db = StrataDb.open(dir)) {
            db.put(b("k"), b("v"));
            db.flush();
            assertThat(db.getProperty("strata.num-files-at-level0")).isEqualTo("1");
            assertThat(db.getProperty("strata.num-immutable-memtables")).isEqualTo("0");
            assertThat(db.getProperty("strata.last-sequence")).isEqualTo("1");
            assertThat(db.getProperty("strata.stats")).contains("L0").contains("flushes: 1");
            assertThat(db.getProperty("no.such.property")).isNull();
            assertThat(db.getProperty("strata.num-files-at-level99")).isNull();
        }
    }
}
