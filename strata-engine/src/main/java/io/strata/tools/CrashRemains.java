package io.strata.tools;

import io.strata.fs.LocalFileSystem;
import io.strata.util.FileNames;
import io.strata.version.VersionSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the last process left in a store directory, read (read-only) before the store is opened,
 * which tells what the store was doing when it was killed:
 *
 * @param walSegments WAL segments recovery will replay: more than one means memtables were
 *     waiting for or in a flush
 * @param unlistedTables table files the MANIFEST does not list: a flush or compaction was
 *     writing them (or had just replaced them and not yet deleted them)
 */
public record CrashRemains(int walSegments, int unlistedTables) {

    /** What {@code dir} holds; nothing (0 and 0) when it holds no store. */
    public static CrashRemains inspect(Path dir) throws IOException {
        if (!Files.exists(dir.resolve(FileNames.CURRENT))) {
            return new CrashRemains(0, 0);
        }
        try (VersionSet versions = VersionSet.recover(LocalFileSystem.INSTANCE, dir)) {
            int wals = 0;
            int unlisted = 0;
            for (String name : LocalFileSystem.INSTANCE.list(dir)) {
                FileNames.Parsed p = FileNames.parse(name);
                if (p != null && p.kind() == FileNames.Kind.WAL && p.number() >= versions.logNumber()) {
                    wals++;
                } else if (p != null && p.kind() == FileNames.Kind.TABLE && !versions.isLive(p.number())) {
                    unlisted++;
                }
            }
            return new CrashRemains(wals, unlisted);
        }
    }

    /** One line for a person: "found 2 WAL segments to replay (...) and 0 table files ...". */
    public String describe() {
        return String.format(
                "found %d WAL segment%s to replay%s and %d table file%s the MANIFEST does not list%s",
                walSegments,
                walSegments == 1 ? "" : "s",
                walSegments > 1 ? " (memtables were waiting for or in a flush)" : "",
                unlistedTables,
                unlistedTables == 1 ? "" : "s",
                unlistedTables > 0 ? " (a flush or compaction was writing)" : "");
    }
}
