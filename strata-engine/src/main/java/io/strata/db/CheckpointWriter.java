package io.strata.db;

import io.strata.fs.FileSystem;
import io.strata.fs.ReadableFile;
import io.strata.fs.WritableFile;
import io.strata.util.FileNames;
import io.strata.version.FileMetaData;
import io.strata.version.Version;
import io.strata.version.VersionSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Makes an openable copy of a live store: the pinned Version's tables (hard links, or copies
 * where linking fails), the WAL segments from the pinned log number on, and a fresh MANIFEST
 * describing exactly the pinned Version. Everything goes into a temporary directory that is
 * renamed to the target at the end, so the target either is a whole checkpoint or does not
 * exist.
 *
 * <p>Consistency: the pinned Version and log number come from one install, so the tables
 * hold everything logged below that number and the segments copied hold the rest up to the
 * moment each was read. Only the newest segment can still be appended to; it is copied, not
 * linked, and a record being appended meanwhile ends up as a torn tail, which recovery drops.
 * The engine defers WAL deletion while a checkpoint runs, so no segment vanishes midway.
 */
final class CheckpointWriter {
    private static final int COPY_CHUNK = 1 << 20;

    private final FileSystem fs;
    private final Path source;
    private final VersionSet versions;

    CheckpointWriter(FileSystem fs, Path source, VersionSet versions) {
        this.fs = fs;
        this.source = source;
        this.versions = versions;
    }

    void write(VersionSet.Pinned pinned, Path target) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + FileNames.TEMP_SUFFIX);
        if (fs.exists(tmp)) {
            removeTree(tmp);
        }
        fs.createDirectories(tmp);
        // What a failure must remove: the temporary directory, or once renamed the target,
        // whose entry is not durable until the parent's fsync succeeds.
        Path written = tmp;
        try {
            for (int level = 0; level < Version.NUM_LEVELS; level++) {
                for (FileMetaData f : pinned.version().files(level)) {
                    linkOrCopy(FileNames.table(f.number()), tmp);
                }
            }
            List<Long> wals = walsFrom(pinned.logNumber());
            for (int i = 0; i < wals.size(); i++) {
                String name = FileNames.wal(wals.get(i));
                if (i == wals.size() - 1) {
                    copy(source.resolve(name), tmp.resolve(name));
                } else {
                    linkOrCopy(name, tmp);
                }
            }
            versions.writeCheckpointManifest(fs, tmp, pinned);
            fs.syncDirectory(tmp);
            fs.rename(tmp, target);
            written = target;
            fs.syncDirectory(target.toAbsolutePath().getParent());
        } catch (IOException | RuntimeException e) {
            try {
                removeTree(written);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private List<Long> walsFrom(long logNumber) throws IOException {
        List<Long> wals = new ArrayList<>();
        for (String name : fs.list(source)) {
            FileNames.Parsed p = FileNames.parse(name);
            if (p != null && p.kind() == FileNames.Kind.WAL && p.number() >= logNumber) {
                wals.add(p.number());
            }
        }
        wals.sort(null);
        return wals;
    }

    private void linkOrCopy(String name, Path targetDir) throws IOException {
        try {
            fs.link(source.resolve(name), targetDir.resolve(name));
        } catch (IOException | UnsupportedOperationException e) {
            // Another file system, or one without hard links: a copy is as good, only slower.
            copy(source.resolve(name), targetDir.resolve(name));
        }
    }

    private void copy(Path from, Path to) throws IOException {
        try (ReadableFile in = fs.openReadable(from);
                WritableFile out = fs.create(to)) {
            long size = in.size();
            byte[] buf = new byte[(int) Math.min(COPY_CHUNK, Math.max(1, size))];
            for (long pos = 0; pos < size; pos += buf.length) {
                int n = (int) Math.min(buf.length, size - pos);
                in.readFully(pos, buf, 0, n);
                out.append(buf, 0, n);
            }
            out.sync();
        }
    }

    private void removeTree(Path dir) throws IOException {
        for (String name : fs.list(dir)) {
            fs.delete(dir.resolve(name));
        }
        fs.delete(dir);
    }
}
