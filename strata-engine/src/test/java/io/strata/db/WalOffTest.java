package io.strata.db;

import static io.strata.db.Markers.batch;
import static io.strata.db.Markers.checkPrefix;
import static io.strata.db.Markers.keysHeld;
import static io.strata.db.Markers.marker;
import static io.strata.db.Markers.number;
import static io.strata.db.StoreFiles.abandon;
import static io.strata.db.StoreFiles.b;
import static io.strata.db.StoreFiles.wals;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.Options;
import io.strata.StrataDb;
import io.strata.WriteBatch;
import io.strata.WriteOptions;
import io.strata.fs.FaultInjectionFileSystem;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store without a write-ahead log ({@link Options#disableWal}): what a crash keeps is exactly
 * what was flushed, and {@link StrataDb#durableMarker()} says which batch that reaches; a clean
 * close keeps everything; a store written with the WAL on loses nothing when reopened with it off.
 * Crashes are simulated by {@link FaultInjectionFileSystem#crash} (unsynced data dropped, as on a
 * power loss) and abandoning the instance.
 */
class WalOffTest {
    @TempDir
    Path dir;

    private static Options walOff(FaultInjectionFileSystem fs, long writeBufferSize) {
        return new Options().disableWal(true).writeBufferSize(writeBufferSize).fileSystem(fs);
    }

    @Test
    void aCrashKeepsExactlyWhatWasFlushedAndTheMarkerSaysHowFar() throws Exception {
        FaultInjectionFileSystem fs = new FaultInjectionFileSystem();
        StrataDb db = StrataDb.open(dir, walOff(fs, 1 << 20));
        assertThat(db.getProperty("strata.wal-enabled")).isEqualTo("false");
        assertThat(db.durableMarker()).as("nothing flushed yet").isNull();
        for (long i = 0; i < 100; i++) {
            db.write(batch(i));
        }
        assertThat(db.durableMarker()).as("nothing flushed yet").isNull();
        db.flush();
        assertThat(number(db.durableMarker())).isEqualTo(99);
        for (long i = 100; i < 150; i++) {
            db.write(batch(i));
        }
        db.put(b("unmarked"), b("x"));
        assertThat(keysHeld(db, 149)).as("readable before the crash").isEqualTo(Markers.KEYS_PER_BATCH);
        assertThat(number(db.durableMarker()))
                .as("unflushed batches are not durable")
                .isEqualTo(99);
        assertThat(wals(dir)).as("no WAL segment").isEmpty();
        fs.crash(true);
        abandon(db);

        try (StrataDb reopened = StrataDb.open(dir, walOff(new FaultInjectionFileSystem(), 1 << 20))) {
            assertThat(number(reopened.durableMarker())).isEqualTo(99);
            assertThat(checkPrefix(reopened, 99, 150)).isNull();
            assertThat(reopened.get(b("unmarked"))).isNull();
            assertThat(wals(dir)).isEmpty();
        }
    }

    /**
     * With a small write buffer memtables fill and are flushed in the background all the time;
     * whatever moment the crash comes, the store afterwards holds exactly the batches up to the
     * marker it reports.
     */
    @Test
    void afterACrashAmidBackgroundFlushesTheDataAndTheMarkerAgree() throws Exception {
        for (int round = 0; round < 3; round++) {
            Path store = dir.resolve("round-" + round);
            FaultInjectionFileSystem fs = new FaultInjectionFileSystem();
            StrataDb db = StrataDb.open(store, walOff(fs, 16 * 1024));
            long written = 500 + 700L * round;
            for (long i = 0; i < written; i++) {
                db.write(batch(i));
            }
            long before = number(db.durableMarker());
            assertThat(before).as("background flushes recorded markers").isPositive();
            fs.crash(true);
            abandon(db);
            try (StrataDb reopened = StrataDb.open(store, walOff(new FaultInjectionFileSystem(), 16 * 1024))) {
                long m = number(reopened.durableMarker());
                assertThat(m).as("round %d", round).isGreaterThanOrEqualTo(before);
                assertThat(checkPrefix(reopened, m, written))
                        .as("round %d", round)
                        .isNull();
            }
        }
    }

    @Test
    void aCleanCloseKeepsEverything() {
        try (StrataDb db = StrataDb.open(dir, walOff(new FaultInjectionFileSystem(), 1 << 20))) {
            for (long i = 0; i < 200; i++) {
                db.write(batch(i));
            }
            db.put(b("unmarked"), b("x"));
        }
        try (StrataDb db = StrataDb.open(dir, walOff(new FaultInjectionFileSystem(), 1 << 20))) {
            assertThat(number(db.durableMarker())).isEqualTo(199);
            assertThat(checkPrefix(db, 199, 200)).isNull();
            assertThat(db.get(b("unmarked"))).isEqualTo(b("x"));
        }
    }

    /**
     * A store written with the WAL on, some of it only in the WAL when the process dies, reopened
     * with the WAL off: the segments are replayed into tables, so nothing is lost, not even by a
     * crash right after that open.
     */
    @Test
    void reopeningAWalStoreWithTheWalOffLosesNothing() throws Exception {
        FaultInjectionFileSystem fs = new FaultInjectionFileSystem();
        StrataDb db = StrataDb.open(dir, new Options().fileSystem(fs).writeBufferSize(16 * 1024));
        for (long i = 0; i < 300; i++) {
            db.write(batch(i), new WriteOptions().sync(true));
        }
        assertThat(db.getProperty("strata.wal-enabled")).isEqualTo("true");
        assertThat(wals(dir)).as("the newest writes are in the WAL alone").isNotEmpty();
        fs.crash(true);
        abandon(db);

        FaultInjectionFileSystem second = new FaultInjectionFileSystem();
        StrataDb walOff = StrataDb.open(dir, walOff(second, 16 * 1024));
        assertThat(wals(dir)).as("replayed and removed").isEmpty();
        for (long i = 0; i < 300; i++) {
            assertThat(keysHeld(walOff, i)).as("batch %d", i).isEqualTo(Markers.KEYS_PER_BATCH);
        }
        second.crash(true);
        abandon(walOff);

        try (StrataDb reopened = StrataDb.open(dir, walOff(new FaultInjectionFileSystem(), 16 * 1024))) {
            for (long i = 0; i < 300; i++) {
                assertThat(keysHeld(reopened, i)).as("batch %d", i).isEqualTo(Markers.KEYS_PER_BATCH);
            }
        }
    }

    /** A memtable holding nothing but a marker (a batch with no entries) is flushed without a table. */
    @Test
    void aBatchWithOnlyAMarkerAdvancesTheDurableMarker() throws Exception {
        FaultInjectionFileSystem fs = new FaultInjectionFileSystem();
        StrataDb db = StrataDb.open(dir, walOff(fs, 1 << 20));
        db.write(batch(0));
        db.flush();
        db.write(new WriteBatch().marker(marker(1)));
        db.flush();
        assertThat(number(db.durableMarker())).isEqualTo(1);
        assertThat(StoreFiles.tables(dir)).as("no table for the empty memtable").hasSize(1);
        fs.crash(true);
        abandon(db);
        try (StrataDb reopened = StrataDb.open(dir, walOff(new FaultInjectionFileSystem(), 1 << 20))) {
            assertThat(number(reopened.durableMarker())).isEqualTo(1);
            assertThat(keysHeld(reopened, 0)).isEqualTo(Markers.KEYS_PER_BATCH);
        }
    }
}
