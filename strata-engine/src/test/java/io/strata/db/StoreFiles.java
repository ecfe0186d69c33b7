package io.strata.db;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.strata.StrataDb;
import io.strata.StrataException;
import io.strata.StrataIterator;
import io.strata.fs.LocalFileSystem;
import io.strata.iterator.InternalIterator;
import io.strata.key.InternalKey;
import io.strata.sstable.Table;
import io.strata.util.FileNames;
import io.strata.version.FileMetaData;
import io.strata.version.Version;
import io.strata.version.VersionSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/** Looks at a store's directory and tables from the outside, for tests. */
final class StoreFiles {
    private StoreFiles() {}

    /** One entry of an SSTable, decoded. */
    record Entry(String key, long sequence, int type, String value) {}

    static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    static String s(byte[] b) {
        return b == null ? null : new String(b, UTF_8);
    }

    /** Numbers of the files of {@code kind} in {@code dir}, ascending. */
    static List<Long> numbers(Path dir, FileNames.Kind kind) {
        TreeSet<Long> out = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(p -> {
                FileNames.Parsed parsed = FileNames.parse(p.getFileName().toString());
                if (parsed != null && parsed.kind() == kind) {
                    out.add(parsed.number());
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ArrayList<>(out);
    }

    static List<Long> tables(Path dir) {
        return numbers(dir, FileNames.Kind.TABLE);
    }

    static List<Long> wals(Path dir) {
        return numbers(dir, FileNames.Kind.WAL);
    }

    /** Every entry of table {@code number}, in file order. */
    static List<Entry> tableEntries(Path dir, long number) {
        String name = FileNames.table(number);
        Path path = dir.resolve(name);
        List<Entry> out = new ArrayList<>();
        try (Table table = Table.open(LocalFileSystem.INSTANCE.openReadable(path), name, Files.size(path));
                InternalIterator it = table.iterator()) {
            for (it.seekToFirst(); it.valid(); it.next()) {
                byte[] k = it.key();
                out.add(new Entry(
                        s(InternalKey.userKey(k)), InternalKey.sequence(k), InternalKey.type(k), s(it.value())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** One entry of an SSTable as raw bytes (for keys and values that are not text). */
    record RawEntry(byte[] userKey, long sequence, int type, byte[] value) {}

    /** Every entry of table {@code number}, in file order, as raw bytes. */
    static List<RawEntry> rawTableEntries(Path dir, long number) throws IOException {
        String name = FileNames.table(number);
        Path path = dir.resolve(name);
        List<RawEntry> out = new ArrayList<>();
        try (Table table = Table.open(LocalFileSystem.INSTANCE.openReadable(path), name, Files.size(path));
                InternalIterator it = table.iterator()) {
            for (it.seekToFirst(); it.valid(); it.next()) {
                byte[] k = it.key();
                out.add(new RawEntry(InternalKey.userKey(k), InternalKey.sequence(k), InternalKey.type(k), it.value()));
            }
        }
        return out;
    }

    /**
     * The live tables per level as the MANIFEST that CURRENT names lists them. Only reads, so
     * it works while the store is open (an edit being appended meanwhile is a torn tail, and
     * the result is then the state before it).
     */
    static List<List<FileMetaData>> liveFiles(Path dir) throws IOException {
        try (VersionSet vs = VersionSet.recover(LocalFileSystem.INSTANCE, dir)) {
            List<List<FileMetaData>> levels = new ArrayList<>();
            for (int level = 0; level < Version.NUM_LEVELS; level++) {
                levels.add(vs.current().files(level));
            }
            return levels;
        }
    }

    /** The number of live tables the store reports (the sum of {@code strata.num-files-at-level<N>}). */
    static int liveTableCount(StrataDb db) {
        int n = 0;
        for (int level = 0; level < Version.NUM_LEVELS; level++) {
            n += Integer.parseInt(db.getProperty("strata.num-files-at-level" + level));
        }
        return n;
    }

    /** The store's live contents through an iterator, in key order. */
    static Map<String, String> contents(StrataDb db) {
        Map<String, String> out = new LinkedHashMap<>();
        try (StrataIterator it = db.iterator()) {
            for (it.seekToFirst(); it.valid(); it.next()) {
                out.put(s(it.key()), s(it.value()));
            }
        }
        return out;
    }

    static long longProperty(StrataDb db, String name) {
        return Long.parseLong(db.getProperty(name));
    }

    /**
     * Closes a store whose file system has crashed ({@code FaultInjectionFileSystem.crash}): the
     * errors of a dead file system (the WAL cannot be synced, the memtables cannot be flushed) are
     * expected, and the store is abandoned as a crashed process would leave it.
     */
    static void abandon(StrataDb db) {
        try {
            db.close();
        } catch (StrataException expected) {
            // the file system is gone
        }
    }
}
