package io.strata.db;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.strata.CorruptionException;
import io.strata.Options;
import io.strata.StrataDb;
import io.strata.StrataException;
import io.strata.StrataIterator;
import io.strata.fs.FaultInjectionFileSystem;
import io.strata.fs.FaultInjectionFileSystem.Op;
import io.strata.util.Coding;
import io.strata.util.FileNames;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Opening a damaged or misused store fails with an error that says what is wrong and where,
 * and changes nothing on disk; damage that a crash can cause (a torn WAL tail, leftover files,
 * a crash during the open itself) is repaired by the open, with every complete write kept.
 */
class RecoveryErrorTest {
    @TempDir
    Path tmp;

    static byte[] key(int i) {
        return String.format("key%04d", i).getBytes(UTF_8);
    }

    static byte[] value(int i) {
        byte[] v = new byte[200];
        Arrays.fill(v, (byte) ('a' + i % 26));
        byte[] head = ("value-" + i + ":").getBytes(UTF_8);
        System.arraycopy(head, 0, v, 0, head.length);
        return v;
    }

    /** Writes keys [from, to), one WAL record each, and closes the store without flushing. */
    static void writeAndClose(Path dir, Options options, int from, int to) {
        try (StrataDb db = StrataDb.open(dir, options)) {
            for (int i = from; i < to; i++) {
                db.put(key(i), value(i));
            }
        }
    }

    /** Every file of the directory and its bytes. */
    static Map<String, byte[]> contents(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                files.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    static void assertUnchanged(Path dir, Map<String, byte[]> before) throws IOException {
        Map<String, byte[]> after = contents(dir);
        assertThat(after.keySet()).as("files after the failed open").containsExactlyElementsOf(before.keySet());
        for (Map.Entry<String, byte[]> e : before.entrySet()) {
            assertThat(after.get(e.getKey()))
                    .as("bytes of %s after the failed open", e.getKey())
                    .isEqualTo(e.getValue());
        }
    }

    static List<String> named(Path dir, String suffix) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> list = Files.list(dir)) {
            list.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(suffix))
                    .sorted()
                    .forEach(names::add);
        }
        return names;
    }

    /** The one WAL segment that holds records. */
    static Path onlyNonEmptyWal(Path dir) throws IOException {
        List<Path> wals = new ArrayList<>();
        for (String n : named(dir, ".wal")) {
            if (Files.size(dir.resolve(n)) > 0) {
                wals.add(dir.resolve(n));
            }
        }
        assertThat(wals).as("non-empty WAL segments").hasSize(1);
        return wals.get(0);
    }

    /** Start offsets of the records of a log file (header: crc32c fixed32, length fixed32). */
    static List<Long> recordOffsets(Path log) throws IOException {
        byte[] b = Files.readAllBytes(log);
        List<Long> offsets = new ArrayList<>();
        int pos = 0;
        while (pos + 8 <= b.length) {
            offsets.add((long) pos);
            pos += 8 + Coding.getFixed32(b, pos + 4);
        }
        assertThat(pos)
                .as("records of %s end at the end of the file", log.getFileName())
                .isEqualTo(b.length);
        return offsets;
    }

    static void flipByte(Path file, long offset) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
            ch.read(one, offset);
            one.put(0, (byte) (one.get(0) ^ 0x5a)).rewind();
            ch.write(one, offset);
        }
    }

    static void truncate(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }

    static NavigableMap<String, String> readAll(StrataDb db) {
        NavigableMap<String, String> all = new TreeMap<>();
        try (StrataIterator it = db.iterator()) {
            for (it.seekToFirst(); it.valid(); it.next()) {
                all.put(new String(it.key(), UTF_8), new String(it.value(), UTF_8));
            }
        }
        return all;
    }

    static NavigableMap<String, String> expected(int from, int to) {
        NavigableMap<String, String> m = new TreeMap<>();
        for (int i = from; i < to; i++) {
            m.put(new String(key(i), UTF_8), new String(value(i), UTF_8));
        }
        return m;
    }

    static void assertHolds(Path dir, NavigableMap<String, String> expected) {
        try (StrataDb db = StrataDb.open(dir, new Options().createIfMissing(false))) {
            NavigableMap<String, String> actual = readAll(db);
            assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
            assertThat(actual).isEqualTo(expected);
        }
    }

    // ---- (a) corruption in the middle of a WAL segment ----

    /**
     * A bad record followed by good ones is corruption, not a torn tail: the open fails naming
     * the segment and the record's offset, and leaves every file as it was, even though it had
     * already replayed enough records to write a level-0 table before it reached the bad one.
     */
    @ParameterizedTest(name = "byte {0} of the record")
    @ValueSource(ints = {0, 3, 8, 9, 100, 215})
    void corruptRecordInTheMiddleOfAWalFailsTheOpenNamingFileAndOffsetAndChangesNothing(int byteInRecord)
            throws IOException {
        Path dir = tmp.resolve("db");
        writeAndClose(dir, new Options(), 0, 60);
        Path wal = onlyNonEmptyWal(dir);
        List<Long> offsets = recordOffsets(wal);
        assertThat(offsets).hasSize(60);
        long bad = offsets.get(40);
        // Bytes 0-3 are the checksum, 4-7 the length (not flipped: a length running past the
        // end of the file cannot be told from a torn tail), 8.. the payload.
        flipByte(wal, bad + byteInRecord);
        Map<String, byte[]> before = contents(dir);

        // A small write buffer makes the replay write level-0 tables before it meets the bad record.
        Options small = new Options().writeBufferSize(4096);
        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(() -> StrataDb.open(dir, small))
                    .isInstanceOf(CorruptionException.class)
                    .hasMessageContaining(wal.getFileName().toString())
                    .hasMessageContaining("offset " + bad);
            // The lock was released and nothing changed: a second attempt fails the same way.
            assertUnchanged(dir, before);
        }
    }

    // ---- (b) torn tail ----

    @Test
    void aTornLastRecordIsDroppedAndEveryCompleteRecordIsKept() throws IOException {
        Path dir = tmp.resolve("db");
        writeAndClose(dir, new Options(), 0, 30);
        Path wal = onlyNonEmptyWal(dir);
        long lastStart = recordOffsets(wal).get(29);
        long size = Files.size(wal);
        truncate(wal, lastStart + (size - lastStart) / 2);
        assertHolds(dir, expected(0, 29));
        // The store goes on normally afterwards.
        writeAndClose(dir, new Options(), 29, 35);
        assertHolds(dir, expected(0, 35));
    }

    @ParameterizedTest(name = "{0} tail bytes")
    @ValueSource(ints = {1, 3, 7, 8, 20})
    void aPartialHeaderOrGarbageAfterTheLastRecordIsDropped(int tailBytes) throws IOException {
        Path dir = tmp.resolve("db");
        writeAndClose(dir, new Options(), 0, 30);
        Path wal = onlyNonEmptyWal(dir);
        byte[] tail = new byte[tailBytes];
        Arrays.fill(tail, (byte) 0x37);
        if (tailBytes >= 8) {
            // A whole header whose length runs past the end of the file: the torn-write case.
            Coding.putFixed32(tail, 4, 1000);
        }
        Files.write(wal, tail, StandardOpenOption.APPEND);
        assertHolds(dir, expected(0, 30));
    }

    @Test
    void zerosAfterTheLastRecordAreDropped() throws IOException {
        Path dir = tmp.resolve("db");
        writeAndClose(dir, new Options(), 0, 30);
        Files.write(onlyNonEmptyWal(dir), new byte[10_000], StandardOpenOption.APPEND);
        assertHolds(dir, expected(0, 30));
    }

    private static final Set<Op> MUTATING = EnumSet.of(
            Op.CREATE, Op.APPEND, Op.SYNC, Op.TRUNCATE, Op.RENAME, Op.DELETE, Op.SYNC_DIR, Op.LINK, Op.MKDIRS, Op.LOCK);

    /**
     * A store with several WAL segments (flushes were failing) and a torn tail, opened with a
     * crash before each file-system step of the open in turn (a process crash, and a power
     * loss that also drops what was not fsynced). Whatever step the crash hits, the next open
     * succeeds and holds every complete record.
     */
    @ParameterizedTest(name = "drop unsynced data: {0}")
    @ValueSource(booleans = {false, true})
    void aCrashAtAnyStepOfTheOpenLeavesAStoreThatOpensWithEveryCompleteRecord(boolean dropUnsynced) throws IOException {
        Path pristine = tmp.resolve("pristine");
        int written = writeSeveralSegmentsAndClose(pristine);
        List<String> wals = named(pristine, ".wal");
        assertThat(wals).hasSizeGreaterThanOrEqualTo(4);
        Path last = pristine.resolve(wals.get(wals.size() - 1));
        long lastStart = recordOffsets(last).get(recordOffsets(last).size() - 1);
        truncate(last, lastStart + 20);
        NavigableMap<String, String> expected = expected(0, written - 1);

        int steps = 0;
        for (int n = 1; ; n++) {
            Path dir = tmp.resolve("crash-" + n);
            CrashRecoveryTest.copyDirectory(pristine, dir);
            FaultInjectionFileSystem fs = new FaultInjectionFileSystem();
            AtomicInteger count = new AtomicInteger();
            AtomicBoolean crashed = new AtomicBoolean();
            String[] crashedAt = new String[1];
            int target = n;
            fs.setFault((op, path) -> {
                if (MUTATING.contains(op) && count.incrementAndGet() == target) {
                    crashedAt[0] = op + " " + path.getFileName();
                    crashed.set(true);
                    fs.crash(dropUnsynced);
                    throw new IOException("simulated crash before " + crashedAt[0]);
                }
            });
            try {
                StrataDb.open(dir, new Options().fileSystem(fs).writeBufferSize(4096))
                        .close();
            } catch (StrataException e) {
                assertThat(crashed).as("open failed without a crash: %s", e).isTrue();
            }
            if (!crashed.get()) {
                break;
            }
            steps++;
            try {
                assertHolds(dir, expected);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError(
                        "after a crash before step " + n + " of the open (" + crashedAt[0]
                                + "), the next open " + (e instanceof AssertionError ? "lost data" : "failed") + ": "
                                + e.getMessage(),
                        e);
            }
            CrashRecoveryTest.deleteRecursively(dir);
        }
        assertThat(steps).as("file-system steps of the open").isGreaterThan(10);
    }

    /**
     * Writes keys 0, 1, ... (one WAL record each) while every flush fails, until three full
     * memtables wait for flush, then a few more into the active one, and closes: the store is
     * left with four or more WAL segments. Returns how many keys were written.
     */
    static int writeSeveralSegmentsAndClose(Path dir) {
        FaultInjectionFileSystem failingFlushes = new FaultInjectionFileSystem();
        failingFlushes.setFault(FaultInjectionFileSystem.failAlways(Op.CREATE, FaultInjectionFileSystem.named(".sst")));
        int written = 0;
        try (StrataDb db = StrataDb.open(
                dir,
                new Options().fileSystem(failingFlushes).writeBufferSize(4096).maxImmutableMemtables(3))) {
            while (!db.getProperty("strata.num-immutable-memtables").equals("3")) {
                db.put(key(written), value(written));
                written++;
            }
            for (int i = 0; i < 5; i++, written++) {
                db.put(key(written), value(written));
            }
        }
        return written;
    }

    /** Older segments were fsynced before the next one started: a torn record there is corruption. */
    @Test
    void aTornRecordInAnOlderSegmentIsCorruption() throws IOException {
        Path dir = tmp.resolve("db");
        writeSeveralSegmentsAndClose(dir);
        List<String> wals = named(dir, ".wal");
        assertThat(wals).hasSizeGreaterThanOrEqualTo(4);
        Path older = dir.resolve(wals.get(1));
        List<Long> offsets = recordOffsets(older);
        long lastStart = offsets.get(offsets.size() - 1);
        truncate(older, lastStart + 20);
        // Written through the fault-injecting file system, whose locks live in memory: the LOCK
        // file every open creates is not there yet.
        Files.createFile(dir.resolve(FileNames.LOCK));
        Map<String, byte[]> before = contents(dir);
        assertThatThrownBy(() -> StrataDb.open(dir))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining(wals.get(1))
                .hasMessageContaining("offset " + lastStart);
        assertUnchanged(dir, before);
    }

    // ---- the MANIFEST ----

    @Test
    void aCorruptManifestRecordFollowedByOthersIsAnErrorNamingItAndChangesNothing() throws IOException {
        Path dir = tmp.resolve("db");
        try (StrataDb db = StrataDb.open(dir)) {
            for (int i = 0; i < 4; i++) {
                db.put(key(i), value(i));
                db.flush();
            }
        }
        String manifest = Files.readString(dir.resolve(FileNames.CURRENT)).trim();
        List<Long> offsets = recordOffsets(dir.resolve(manifest));
        assertThat(offsets).hasSizeGreaterThanOrEqualTo(4);
        flipByte(dir.resolve(manifest), offsets.get(1) + 10);
        Map<String, byte[]> before = contents(dir);
        assertThatThrownBy(() -> StrataDb.open(dir))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining(manifest)
                .hasMessageContaining("offset " + offsets.get(1));
        assertUnchanged(dir, before);
    }

    // ---- (c) CURRENT ----

    @Test
    void currentNamingAMissingManifestIsAClearErrorAndChangesNothing() throws IOException {
        Path dir = tmp.resolve("db");
        writeAndClose(dir, new Options(), 0, 10);
        Files.writeString(dir.resolve(FileNames.CURRENT), "MANIFEST-999999\n");
        Map<String, byte[]> before = contents(dir);
        assertThatThrownBy(() -> StrataDb.open(dir))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining("CURRENT")
                .hasMessageContaining("MANIFEST-999999")
                .hasMessageContaining("does not exist");
        assertUnchanged(dir, before);
    }

    @ParameterizedTest(name = "CURRENT = \"{0}\"")
    @ValueSource(strings = {"", "garbage", "garbage\n", "MANIFEST-000001", "../MANIFEST-000001\n", "\n"})
    void garbageCurrentIsAClearErrorAndChangesNothing(String current) throws IOException {
        Path dir = tmp.resolve("db");
        writeAndClose(dir, new Options(), 0, 10);
        Files.writeString(dir.resolve(FileNames.CURRENT), current);
        Map<String, byte[]> before = contents(dir);
        assertThatThrownBy(() -> StrataDb.open(dir))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining("CURRENT");
        assertUnchanged(dir, before);
    }

    @Test
    void overlongCurrentIsAClearError() throws IOException {
        Path dir = tmp.resolve("db");
        writeAndClose(dir, new Options(), 0, 10);
        Files.write(dir.resolve(FileNames.CURRENT), new byte[100_000]);
        assertThatThrownBy(() -> StrataDb.open(dir))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining("CURRENT");
    }

    /**
     * A store whose CURRENT is gone is not a new store: opening it must not start an empty one
     * and delete the tables (which no MANIFEST then names) as orphans.
     */
    @Test
    void aMissingCurrentNextToTablesIsAnErrorAndDeletesNothing() throws IOException {
        Path dir = tmp.resolve("db");
        try (StrataDb db = StrataDb.open(dir)) {
            for (int i = 0; i < 10; i++) {
                db.put(key(i), value(i));
            }
            db.flush();
        }
        assertThat(named(dir, ".sst")).isNotEmpty();
        Files.delete(dir.resolve(FileNames.CURRENT));
        Map<String, byte[]> before = contents(dir);
        assertThatThrownBy(() -> StrataDb.open(dir))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("CURRENT");
        assertUnchanged(dir, before);
    }

    // ---- (d) a table the MANIFEST lists is missing ----

    @Test
    void aMissingTableIsAnErrorNamingItAndChangesNothing() throws IOException {
        Path dir = tmp.resolve("db");
        try (StrataDb db = StrataDb.open(dir)) {
            putFlushingEvery(db, 30, 10);
        }
        List<String> tables = named(dir, ".sst");
        assertThat(tables).hasSize(3);
        Files.delete(dir.resolve(tables.get(1)));
        Map<String, byte[]> before = contents(dir);
        assertThatThrownBy(() -> StrataDb.open(dir))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining(tables.get(1))
                .hasMessageContaining("missing");
        assertUnchanged(dir, before);
    }

    /** Puts keys 0..n-1, flushing after every {@code every} of them (one table each). */
    private static void putFlushingEvery(StrataDb db, int n, int every) {
        for (int i = 0; i < n; i++) {
            db.put(key(i), value(i));
            if (i % every == every - 1) {
                db.flush();
            }
        }
    }

    // ---- (e) orphan files ----

    @Test
    void orphanFilesAreDeletedAtOpenAndReferencedFilesStay() throws IOException {
        Path dir = tmp.resolve("db");
        try (StrataDb db = StrataDb.open(dir)) {
            putFlushingEvery(db, 20, 10);
            db.put(key(20), value(20)); // stays in the WAL
        }
        Map<String, byte[]> live = contents(dir);
        live.remove(FileNames.LOCK);
        List<String> tables = named(dir, ".sst");
        assertThat(tables).hasSize(2);
        String manifest = Files.readString(dir.resolve(FileNames.CURRENT)).trim();
        long manifestNumber = FileNames.parse(manifest).number();
        assertThat(manifestNumber)
                .as("the MANIFEST's number leaves room for an older WAL")
                .isGreaterThan(1);

        // A table no MANIFEST names (left by a crash mid-flush), a copy of a live one so it is a valid table.
        Files.copy(dir.resolve(tables.get(0)), dir.resolve(FileNames.table(900)));
        Files.write(dir.resolve(FileNames.table(901)), new byte[] {1, 2, 3});
        Files.writeString(dir.resolve("CURRENT.tmp"), "MANIFEST-000777\n");
        Files.write(dir.resolve("000902.sst.tmp"), new byte[100]);
        // A WAL segment below the log number, holding a record that must not be replayed.
        Path oldWal = dir.resolve(FileNames.wal(1));
        assertThat(oldWal).doesNotExist();
        Files.write(oldWal, new byte[] {9, 9, 9, 9, 9, 9, 9, 9, 9});
        // An older MANIFEST that CURRENT does not name.
        Files.copy(dir.resolve(manifest), dir.resolve(FileNames.manifest(manifestNumber - 1)));
        // A file the store does not own.
        Files.writeString(dir.resolve("README.txt"), "not ours");

        try (StrataDb db = StrataDb.open(dir)) {
            assertThat(readAll(db)).isEqualTo(expected(0, 21));
            Map<String, byte[]> now = contents(dir);
            assertThat(now)
                    .doesNotContainKeys(
                            FileNames.table(900),
                            FileNames.table(901),
                            "CURRENT.tmp",
                            "000902.sst.tmp",
                            FileNames.wal(1),
                            FileNames.manifest(manifestNumber - 1));
            assertThat(now).containsKey("README.txt");
            for (String t : tables) {
                assertThat(now.get(t)).as("live table %s", t).isEqualTo(live.get(t));
            }
            // Later tables do not reuse the orphans' numbers.
            db.put(key(21), value(21));
            db.flush();
            assertThat(named(dir, ".sst").stream()
                            .mapToLong(n -> FileNames.parse(n).number())
                            .max()
                            .getAsLong())
                    .isGreaterThan(901);
        }
        assertHolds(dir, expected(0, 22));
    }

    // ---- (f) a second open ----

    @Test
    void aSecondOpenInTheSameProcessFailsMentioningTheLock() {
        Path dir = tmp.resolve("db");
        try (StrataDb db = StrataDb.open(dir)) {
            db.put(key(1), value(1));
            assertThatThrownBy(() -> StrataDb.open(dir))
                    .isInstanceOf(StrataException.class)
                    .hasMessageContaining("already open")
                    .hasMessageContaining("lock");
            // The failed open changed nothing for the first one.
            db.put(key(2), value(2));
            assertThat(db.get(key(1))).isEqualTo(value(1));
        }
        assertHolds(dir, expected(1, 3));
    }

    /** A child JVM that opens the store, prints "open", and closes it when its stdin closes. */
    private Process startHoldOpen(Path dir) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(
                        java.toString(),
                        "-Xmx64m",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        System.getProperty("java.class.path"),
                        HoldOpen.class.getName(),
                        dir.toString())
                .redirectError(tmp.resolve("child.err").toFile())
                .start();
    }

    @Test
    void aSecondOpenWhileAnotherProcessHoldsTheStoreFailsMentioningTheLock() throws Exception {
        Path dir = tmp.resolve("db");
        writeAndClose(dir, new Options(), 0, 5);
        Process child = startHoldOpen(dir);
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (!"open".equals(line)) {
                fail("the child did not open the store (printed " + line + "): "
                        + Files.readString(tmp.resolve("child.err")));
            }
            assertThatThrownBy(() -> StrataDb.open(dir))
                    .isInstanceOf(StrataException.class)
                    .hasMessageContaining("already open")
                    .hasMessageContaining("lock");
            child.getOutputStream().close();
            assertThat(out.readLine()).isEqualTo("closed");
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isZero();
        } finally {
            child.destroyForcibly();
            child.waitFor(120, TimeUnit.SECONDS);
        }
        assertHolds(dir, expected(0, 5));
    }

    @Test
    void aKilledProcessReleasesTheLock() throws Exception {
        Path dir = tmp.resolve("db");
        writeAndClose(dir, new Options(), 0, 5);
        Process child = startHoldOpen(dir);
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("open");
            assertThatThrownBy(() -> StrataDb.open(dir))
                    .isInstanceOf(StrataException.class)
                    .hasMessageContaining("lock");
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(120, TimeUnit.SECONDS)).isTrue();
        }
        assertHolds(dir, expected(0, 5));
    }

    // ---- (g) createIfMissing / errorIfExists ----

    @Test
    void createIfMissingFalseOnAnEmptyDirectoryFailsAndCreatesNothing() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> StrataDb.open(dir, new Options().createIfMissing(false)))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("createIfMissing")
                .hasMessageContaining(dir.toString());
        assertThat(contents(dir)).isEmpty();
        Path missing = tmp.resolve("missing");
        assertThatThrownBy(() -> StrataDb.open(missing, new Options().createIfMissing(false)))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("createIfMissing");
        assertThat(missing).doesNotExist();
    }

    @Test
    void errorIfExistsOnAnExistingStoreFailsAndChangesNothing() throws IOException {
        Path dir = tmp.resolve("db");
        writeAndClose(dir, new Options(), 0, 5);
        Map<String, byte[]> before = contents(dir);
        assertThatThrownBy(() -> StrataDb.open(dir, new Options().errorIfExists(true)))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("already exists")
                .hasMessageContaining("errorIfExists");
        assertUnchanged(dir, before);
        // The failed open released the lock.
        assertHolds(dir, expected(0, 5));
        // On an empty directory errorIfExists is no obstacle.
        Path fresh = tmp.resolve("fresh");
        StrataDb.open(fresh, new Options().errorIfExists(true)).close();
    }

    // ---- (h) read-only media ----

    /**
     * Regression: a LOCK file that could not be created or opened for writing was reported as
     * "it is already open". On a read-only file system the open now fails naming the
     * directory and the cause, and changes nothing.
     */
    @Test
    void openingOnAReadOnlyFileSystemFailsNamingTheDirectoryAndChangesNothing() throws IOException {
        Path dir = tmp.resolve("db");
        writeAndClose(dir, new Options(), 0, 20);
        Map<String, byte[]> before = contents(dir);
        FaultInjectionFileSystem fs = new FaultInjectionFileSystem();
        fs.setReadOnly(true);
        assertThatThrownBy(() -> StrataDb.open(dir, new Options().fileSystem(fs)))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("cannot open the store at " + dir)
                .hasMessageContaining(FaultInjectionFileSystem.READ_ONLY)
                .hasMessageContaining("must be writable")
                .hasMessageNotContaining("already open");
        assertUnchanged(dir, before);
        Path fresh = Files.createDirectories(tmp.resolve("fresh"));
        assertThatThrownBy(() -> StrataDb.open(fresh, new Options().fileSystem(fs)))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("cannot open the store at " + fresh)
                .hasMessageContaining("must be writable");
        assertThat(contents(fresh)).isEmpty();
        assertHolds(dir, expected(0, 20));
    }

    /**
     * A store directory without write permission (its LOCK file still writable): the open
     * fails at the first file it would create, naming it, and changes nothing. Permissions do
     * not stop root, so run as root this checks only that the open works (the read-only case
     * above covers the error).
     */
    @Test
    void openingADirectoryWithoutWritePermissionFailsNamingTheFileAndChangesNothing() throws IOException {
        Path dir = tmp.resolve("db");
        writeAndClose(dir, new Options(), 0, 20);
        Map<String, byte[]> before = contents(dir);
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            if (Files.isWritable(dir)) {
                System.out.println("RecoveryErrorTest: running as root, a directory without write permission is "
                        + "still writable; the read-only file-system test covers the error");
                assertHolds(dir, expected(0, 20));
                return;
            }
            assertThatThrownBy(() -> StrataDb.open(dir, new Options()))
                    .isInstanceOf(StrataException.class)
                    .hasMessageContaining("cannot open the store at " + dir)
                    .hasMessageContaining("permission denied")
                    .hasMessageContaining("must be writable");
            assertUnchanged(dir, before);
        } finally {
            Files.setPosixFilePermissions(dir, perms);
        }
        assertHolds(dir, expected(0, 20));
    }
}
