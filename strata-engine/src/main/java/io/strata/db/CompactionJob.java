package io.strata.db;

import io.strata.Options;
import io.strata.StrataException;
import io.strata.cache.TableCache;
import io.strata.compaction.Compaction;
import io.strata.compaction.CompactionIterator;
import io.strata.fs.FileSystem;
import io.strata.iterator.InternalIterator;
import io.strata.iterator.MergingIterator;
import io.strata.key.InternalKey;
import io.strata.util.FileNames;
import io.strata.version.FileMetaData;
import io.strata.version.VersionEdit;
import io.strata.version.VersionSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Runs one {@link Compaction}: merges its inputs, drops what no reader can see (see
 * {@link CompactionIterator}) and writes the rest to new files at the output level, cut at the
 * target file size or where the grandparent overlap grows too large, but never between two
 * entries of one user key. Returns the edit that installs the result; it does no locking and
 * touches no engine state, so a failure leaves nothing to undo but its own unnamed files.
 */
final class CompactionJob {
    record Result(VersionEdit edit, long bytesRead, long bytesWritten, long entriesDropped, int outputs) {}

    private final Compaction compaction;
    private final long smallestSnapshot;
    private final long newestSnapshot;
    private final VersionSet versions;
    private final TableCache tables;
    private final FileSystem fs;
    private final Path dir;
    private final Options options;
    private final BooleanSupplier cancelled;

    CompactionJob(
            Compaction compaction,
            long smallestSnapshot,
            long newestSnapshot,
            VersionSet versions,
            TableCache tables,
            FileSystem fs,
            Path dir,
            Options options,
            BooleanSupplier cancelled) {
        this.compaction = compaction;
        this.smallestSnapshot = smallestSnapshot;
        this.newestSnapshot = newestSnapshot;
        this.versions = versions;
        this.tables = tables;
        this.fs = fs;
        this.dir = dir;
        this.options = options;
        this.cancelled = cancelled;
    }

    Result run() throws IOException {
        VersionEdit edit = new VersionEdit();
        compaction.addInputDeletions(edit);
        if (compaction.isTrivialMove()) {
            FileMetaData f = compaction.inputs().get(0);
            edit.addFile(compaction.outputLevel(), f);
            return new Result(edit, 0, 0, 0, 0);
        }
        List<FileMetaData> outputs = new ArrayList<>();
        TableFileWriter out = null;
        try (CompactionIterator it = new CompactionIterator(
                mergedInputs(), smallestSnapshot, newestSnapshot, compaction, options.compactionFilter())) {
            byte[] last = null;
            boolean cutWanted = false;
            long entries = 0;
            for (it.seekToFirst(); it.valid(); it.next()) {
                if ((++entries & 1023) == 0 && cancelled.getAsBoolean()) {
                    throw new StrataException("compaction cancelled: the store is closing");
                }
                byte[] key = it.key();
                cutWanted |= compaction.shouldStopBefore(key);
                if (out != null
                        && !InternalKey.sameUserKey(key, last)
                        && (cutWanted || out.size() >= compaction.maxOutputFileSize())) {
                    outputs.add(out.finish());
                    out = null;
                }
                if (out == null) {
                    out = new TableFileWriter(fs, dir, versions.newFileNumber(), options);
                    cutWanted = false;
                }
                out.add(key, it.value());
                last = key;
            }
            if (out != null) {
                outputs.add(out.finish());
                out = null;
            }
            long written = 0;
            for (FileMetaData f : outputs) {
                edit.addFile(compaction.outputLevel(), f);
                written += f.fileSize();
            }
            return new Result(edit, compaction.inputBytes(), written, it.dropped(), outputs.size());
        } catch (IOException | RuntimeException e) {
            if (out != null) {
                out.abandon(e);
            }
            // Finished outputs are named nowhere yet: remove them too.
            for (FileMetaData f : outputs) {
                try {
                    fs.delete(dir.resolve(FileNames.table(f.number())));
                } catch (IOException cleanup) {
                    e.addSuppressed(cleanup);
                }
            }
            throw e;
        }
    }

    private InternalIterator mergedInputs() {
        List<InternalIterator> sources = new ArrayList<>();
        try {
            for (FileMetaData f : compaction.allInputs()) {
                sources.add(tables.iterator(f));
            }
        } catch (RuntimeException e) {
            sources.forEach(InternalIterator::close);
            throw e;
        }
        return new MergingIterator(sources);
    }
}
