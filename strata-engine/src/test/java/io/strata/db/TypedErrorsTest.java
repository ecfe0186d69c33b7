package io.strata.db;

import static io.strata.fs.FaultInjectionFileSystem.failAlways;
import static io.strata.fs.FaultInjectionFileSystem.named;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.DiskFullException;
import io.strata.Options;
import io.strata.ReadOnlyStoreException;
import io.strata.StoreClosedException;
import io.strata.StoreLockedException;
import io.strata.StrataDb;
import io.strata.WriteOptions;
import io.strata.WritesStoppedException;
import io.strata.fs.FaultInjectionFileSystem;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each condition a caller of the public API may want to act on has its own exception type, and
 * its message stays what it was: a closed store, a read-only store, a store locked by another
 * open, writes stopped after a failed fsync of the WAL, and a full disk.
 */
class TypedErrorsTest {
    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void aClosedStoreSaysSoWithItsOwnTypeWhichIsStillAnIllegalStateException() {
        StrataDb db = StrataDb.open(dir);
        db.close();
        assertThatThrownBy(() -> db.put(b("k"), b("v")))
                .isInstanceOf(StoreClosedException.class)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
        assertThatThrownBy(() -> db.get(b("k"))).isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(db::snapshot).isInstanceOf(StoreClosedException.class);
        assertThatThrownBy(db::statistics).isInstanceOf(StoreClosedException.class);
    }

    @Test
    void aReadOnlyStoreRefusesEveryChangeWithItsOwnType() {
        try (StrataDb db = StrataDb.open(dir)) {
            db.put(b("k"), b("v"));
        }
        try (StrataDb db = StrataDb.open(dir, new Options().readOnly(true))) {
            assertThatThrownBy(() -> db.put(b("k"), b("w")))
                    .isInstanceOf(ReadOnlyStoreException.class)
                    .hasMessageContaining("opened read-only");
            assertThatThrownBy(db::flush).isInstanceOf(ReadOnlyStoreException.class);
            assertThatThrownBy(() -> db.compactRange(null, null)).isInstanceOf(ReadOnlyStoreException.class);
            assertThatThrownBy(() -> db.checkpoint(dir.resolveSibling("copy")))
                    .isInstanceOf(ReadOnlyStoreException.class);
            assertThat(db.get(b("k"))).isEqualTo(b("v"));
        }
    }

    @Test
    void aStoreOpenElsewhereIsLocked() {
        try (StrataDb db = StrataDb.open(dir)) {
            assertThatThrownBy(() -> StrataDb.open(dir))
                    .isInstanceOf(StoreLockedException.class)
                    .hasMessageContaining("already open");
            db.put(b("k"), b("v"));
            assertThat(db.get(b("k"))).isEqualTo(b("v"));
        }
    }

    @Test
    void aFailedWalSyncStopsWritesUntilReopenWithItsOwnType() {
        FaultInjectionFileSystem fs = new FaultInjectionFileSystem();
        try (StrataDb db = StrataDb.open(dir, new Options().fileSystem(fs))) {
            db.put(b("before"), b("1"), new WriteOptions().sync(true));
            fs.setFault(failAlways(FaultInjectionFileSystem.Op.SYNC, named(".wal")));
            assertThatThrownBy(() -> db.put(b("k"), b("v"), new WriteOptions().sync(true)))
                    .isInstanceOf(WritesStoppedException.class)
                    .hasMessageContaining("could not be synced")
                    .hasMessageContaining("until it is reopened");
            fs.clearFault();
            assertThatThrownBy(() -> db.put(b("later"), b("v")))
                    .isInstanceOf(WritesStoppedException.class)
                    .hasMessageContaining("reopen it to recover");
            assertThat(db.get(b("before"))).isEqualTo(b("1"));
        }
        try (StrataDb db = StrataDb.open(dir)) {
            assertThat(db.get(b("before"))).isEqualTo(b("1"));
            db.put(b("after"), b("2"));
            assertThat(db.get(b("after"))).isEqualTo(b("2"));
        }
    }

    @Test
    void aFullDiskFailsTheWriteWithItsOwnTypeAndWritesGoOnOnceSpaceIsBack() {
        FaultInjectionFileSystem fs = new FaultInjectionFileSystem();
        try (StrataDb db = StrataDb.open(dir, new Options().fileSystem(fs))) {
            db.put(b("before"), b("1"));
            fs.setDiskFull(true, false);
            assertThatThrownBy(() -> db.put(b("k"), b("v")))
                    .isInstanceOf(DiskFullException.class)
                    .hasMessageContaining("disk is full")
                    .hasMessageContaining("nothing was written")
                    .hasMessageContaining("written before is safe");
            fs.setDiskFull(false, false);
            db.put(b("after"), b("2"));
            assertThat(db.get(b("before"))).isEqualTo(b("1"));
            assertThat(db.get(b("after"))).isEqualTo(b("2"));
            assertThat(db.get(b("k"))).isNull();
        }
    }
}
