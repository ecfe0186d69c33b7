package io.strata.tools;

import io.strata.CorruptionException;
import io.strata.StrataException;
import io.strata.db.WalRecords;
import io.strata.fs.FileSystem;
import io.strata.fs.LocalFileSystem;
import io.strata.fs.ReadableFile;
import io.strata.sstable.TableInspector;
import io.strata.util.FileNames;
import io.strata.version.FileMetaData;
import io.strata.version.Version;
import io.strata.version.VersionSet;
import io.strata.wal.LogReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks every byte of a store that recovery or a read would check: CURRENT and the MANIFEST,
 * every block of every live table (checksums, entry decoding, key order, index and filter
 * consistency, key range against the MANIFEST), and every record of the live WAL segments
 * (checksums and batch decoding, with recovery's torn-tail rule). Opens every file read-only
 * and takes no lock. Prints one line per file and a summary; problems do not stop it.
 *
 * <p>A store open in another process may change while it is read: a flush or a compaction can
 * delete a table or WAL segment after the MANIFEST named it (reported as missing), and the
 * newest WAL segment may end in a record being appended (reported as a torn tail, which is not
 * an error). Only a closed store gives a definitive answer.
 */
public final class StoreVerifier {
    /** Bad blocks reported per table before the rest of it is skipped. */
    private static final int MAX_ERRORS_PER_TABLE = 10;

    private final FileSystem fs = LocalFileSystem.INSTANCE;
    private final Path dir;
    private final PrintWriter out;

    /** Problems found, first message per file, in the order found. */
    private final Map<String, String> problems = new LinkedHashMap<>();

    private int tables;
    private long blocks;
    private long tableEntries;
    private int walSegments;
    private long walRecords;
    private long walEntries;
    private String manifest;
    private long manifestRecords;

    private StoreVerifier(Path dir, PrintWriter out) {
        this.dir = dir;
        this.out = out;
    }

    /**
     * Verifies the store in {@code dir}, printing to {@code out} one line per file and a summary.
     *
     * @return the files found damaged (file name → first error), in the order found; empty when
     *     the store is clean
     * @throws IOException if {@code dir} cannot be listed (a damaged file is not an exception)
     */
    public static Map<String, String> verify(Path dir, PrintWriter out) throws IOException {
        StoreVerifier verifier = new StoreVerifier(dir, out);
        verifier.run();
        return Collections.unmodifiableMap(verifier.problems);
    }

    private void run() throws IOException {
        out.println("verifying " + dir + " (read-only; the store's LOCK is not taken)");
        List<String> names = StoreFiles.names(dir);
        Version version = null;
        long logNumber = -1;
        if (!names.contains(FileNames.CURRENT)) {
            problem(FileNames.CURRENT, "missing (the store cannot be opened)");
        } else {
            try (VersionSet versions = VersionSet.recover(fs, dir)) {
                version = versions.current();
                logNumber = versions.logNumber();
                manifest = FileNames.manifest(versions.manifestNumber());
                countManifestRecords(versions);
            } catch (CorruptionException | IOException e) {
                problem(FileNames.CURRENT + "/MANIFEST", Text.describe(e));
            }
        }
        if (version == null) {
            out.println("the live files are unknown: checking every table and WAL segment in the directory");
        }
        checkTables(names, version);
        checkWals(names, logNumber);
        summary();
    }

    private void countManifestRecords(VersionSet versions) throws IOException {
        try (ReadableFile file = fs.openReadable(dir.resolve(manifest))) {
            LogReader reader = new LogReader(file, manifest, true);
            while (reader.next() != null) {
                manifestRecords++;
            }
            String torn = reader.droppedTornTail()
                    ? "; ends in a torn record (dropped at open: the last edit never completed)"
                    : "";
            ok(
                    manifest,
                    "",
                    Text.count(manifestRecords, "record", "records") + "; "
                            + Text.count(liveFiles(versions.current()), "live table", "live tables") + ", log number "
                            + versions.logNumber() + ", last sequence " + versions.lastSequence() + torn);
        }
    }

    private static int liveFiles(Version v) {
        int n = 0;
        for (int level = 0; level < Version.NUM_LEVELS; level++) {
            n += v.numFiles(level);
        }
        return n;
    }

    private void checkTables(List<String> names, Version version) {
        List<Long> unlisted = new ArrayList<>();
        for (String name : names) {
            FileNames.Parsed p = FileNames.parse(name);
            if (p.kind() == FileNames.Kind.TABLE) {
                unlisted.add(p.number());
            }
        }
        if (version != null) {
            for (int level = 0; level < Version.NUM_LEVELS; level++) {
                for (FileMetaData f : version.files(level)) {
                    unlisted.remove(f.number());
                    checkTable(FileNames.table(f.number()), "L" + level, f);
                }
            }
            for (long number : unlisted) {
                skip(FileNames.table(number), "not in the MANIFEST (left by a crash; removed at the next open)");
            }
        } else {
            for (long number : unlisted) {
                checkTable(FileNames.table(number), "", null);
            }
        }
    }

    /** Checks one table; {@code meta} is what the MANIFEST records for it, or null if unknown. */
    private void checkTable(String name, String level, FileMetaData meta) {
        Path path = dir.resolve(name);
        if (meta != null && !fs.exists(path)) {
            problem(name, level, "listed in the MANIFEST but missing");
            return;
        }
        tables++;
        try (TableInspector table = TableInspector.open(fs, path, meta == null ? -1 : meta.fileSize())) {
            List<TableInspector.DataBlock> dataBlocks = table.blocks();
            List<String> errors = new ArrayList<>();
            long entries = 0;
            byte[] smallest = null;
            byte[] largest = null;
            TableInspector.DataBlock previous = null;
            for (TableInspector.DataBlock b : dataBlocks) {
                blocks++;
                try {
                    TableInspector.BlockSummary s = table.checkBlock(b, previous);
                    entries += s.entries();
                    smallest = b.number() == 0 ? s.firstKey() : smallest;
                    largest = b.number() == dataBlocks.size() - 1 ? s.lastKey() : largest;
                } catch (StrataException e) {
                    errors.add(e.getMessage());
                    if (errors.size() == MAX_ERRORS_PER_TABLE) {
                        errors.add("(more blocks not checked)");
                        break;
                    }
                }
                previous = b;
            }
            tableEntries += entries;
            if (!errors.isEmpty()) {
                problem(name, level, String.join("; ", errors));
                return;
            }
            if (meta != null && !(Arrays.equals(smallest, meta.smallest()) && Arrays.equals(largest, meta.largest()))) {
                problem(
                        name,
                        level,
                        "holds keys " + Text.internalKey(smallest) + " to " + Text.internalKey(largest)
                                + ", but the MANIFEST records " + Text.internalKey(meta.smallest()) + " to "
                                + Text.internalKey(meta.largest()));
                return;
            }
            ok(
                    name,
                    level,
                    Text.count(dataBlocks.size(), "block", "blocks") + ", " + Text.count(entries, "entry", "entries"));
        } catch (StrataException | IOException e) {
            problem(name, level, Text.describe(e));
        }
    }

    private void checkWals(List<String> names, long logNumber) {
        List<Long> live = new ArrayList<>();
        for (String name : names) {
            FileNames.Parsed p = FileNames.parse(name);
            if (p.kind() != FileNames.Kind.WAL) {
                continue;
            }
            if (p.number() >= logNumber) {
                live.add(p.number());
            } else {
                skip(
                        name,
                        "older than the MANIFEST's log number " + logNumber
                                + " (its data is in tables; removed at the next open)");
            }
        }
        // As in recovery: only the newest segment holding any bytes may end in a torn record.
        int lastWritten = -1;
        for (int i = 0; i < live.size(); i++) {
            try {
                if (Files.size(dir.resolve(FileNames.wal(live.get(i)))) > 0) {
                    lastWritten = i;
                }
            } catch (IOException e) {
                // Reported when the segment is read.
            }
        }
        for (int i = 0; i < live.size(); i++) {
            checkWal(FileNames.wal(live.get(i)), i >= lastWritten);
        }
    }

    private void checkWal(String name, boolean tornTailAllowed) {
        walSegments++;
        long records = 0;
        long entries = 0;
        try (ReadableFile file = fs.openReadable(dir.resolve(name))) {
            LogReader reader = new LogReader(file, name, tornTailAllowed);
            byte[] rec;
            for (long at = 0; (rec = reader.next()) != null; at = reader.offset()) {
                records++;
                entries +=
                        WalRecords.decode(rec, name + " record at offset " + at).entries();
            }
            String torn =
                    reader.droppedTornTail() ? "; ends in a torn record (dropped at open: normal after a crash)" : "";
            ok(
                    name,
                    "",
                    Text.count(records, "record", "records") + ", " + Text.count(entries, "entry", "entries") + torn);
        } catch (StrataException | IOException e) {
            problem(name, "", Text.describe(e) + " (after " + Text.count(records, "good record", "good records") + ")");
        } finally {
            walRecords += records;
            walEntries += entries;
        }
    }

    private void ok(String name, String level, String what) {
        out.printf("%-16s %-3s ok       %s%n", name, level, what);
    }

    private void skip(String name, String why) {
        out.printf("%-16s %-3s skipped  %s%n", name, "", why);
    }

    private void problem(String name, String what) {
        problem(name, "", what);
    }

    private void problem(String name, String level, String what) {
        problems.putIfAbsent(name, what);
        out.printf("%-16s %-3s CORRUPT  %s%n", name, level, what);
    }

    private void summary() {
        out.println();
        out.printf(
                "checked %s (%s, %s), %s (%s, %s)%s%n",
                Text.count(tables, "table", "tables"),
                Text.count(blocks, "block", "blocks"),
                Text.count(tableEntries, "entry", "entries"),
                Text.count(walSegments, "WAL segment", "WAL segments"),
                Text.count(walRecords, "record", "records"),
                Text.count(walEntries, "entry", "entries"),
                manifest == null
                        ? ""
                        : ", " + manifest + " (" + Text.count(manifestRecords, "record", "records") + ")");
        if (problems.isEmpty()) {
            out.println("no corruption found");
        } else {
            out.println("CORRUPTION in " + Text.count(problems.size(), "file", "files") + ": "
                    + String.join(", ", problems.keySet()));
        }
        out.flush();
    }
}
