package io.strata.version;

import io.strata.cache.TableCache;
import io.strata.iterator.InternalIterator;
import io.strata.key.InternalKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The live SSTables at one moment, per level. Immutable: every flush or compaction makes a
 * new Version from the old one and a {@link VersionEdit}, so a reader holding a Version sees a
 * fixed set of files.
 *
 * <p>Level 0 holds flushed memtables, newest first; their key ranges may overlap, and a newer
 * file holds only newer sequences than an older one. Levels 1 and up hold files with disjoint
 * key ranges, sorted by smallest key; each level is older than the one above it. A user key's
 * versions never straddle two files of one level (outputs are cut only between user keys), so
 * one file per level answers a point lookup.
 *
 * <p>An installed Version is reference counted: the {@link VersionSet} holds one reference
 * while it is current, and every reader that uses its files (a get, an iterator, the engine's
 * read state) holds one while it does. When the count reaches zero the VersionSet learns
 * that the files no longer need to survive on this Version's account.
 */
public final class Version {
    public static final int NUM_LEVELS = 7;

    private static final Comparator<FileMetaData> NEWEST_FIRST =
            Comparator.comparingLong(FileMetaData::number).reversed();
    private static final Comparator<FileMetaData> BY_SMALLEST_KEY =
            (a, b) -> InternalKey.compare(a.smallest(), b.smallest());

    private final List<List<FileMetaData>> levels;
    /** Zero until installed; once it drops back to zero it stays there. */
    private final AtomicInteger refs = new AtomicInteger();
    /** Told once when the last reference goes. Written before the first reference is published. */
    private Consumer<Version> onRelease;

    private Version(List<List<FileMetaData>> levels) {
        this.levels = levels;
    }

    /** Gives the Version its first reference (the installer's). */
    void install(Consumer<Version> onRelease) {
        this.onRelease = onRelease;
        refs.set(1);
    }

    public void ref() {
        if (!tryRef()) {
            throw new IllegalStateException("version already released");
        }
    }

    /** Takes a reference unless the Version is already released (then returns false). */
    public boolean tryRef() {
        for (int r = refs.get(); r > 0; r = refs.get()) {
            if (refs.compareAndSet(r, r + 1)) {
                return true;
            }
        }
        return false;
    }

    public void unref() {
        int r = refs.decrementAndGet();
        if (r == 0) {
            onRelease.accept(this);
        } else if (r < 0) {
            throw new IllegalStateException("version released twice");
        }
    }

    public static Version empty() {
        List<List<FileMetaData>> levels = new ArrayList<>();
        for (int i = 0; i < NUM_LEVELS; i++) {
            levels.add(List.of());
        }
        return new Version(levels);
    }

    /** This version with the edit's deletions and additions applied. */
    public Version apply(VersionEdit edit) {
        List<List<FileMetaData>> next = new ArrayList<>(NUM_LEVELS);
        for (int level = 0; level < NUM_LEVELS; level++) {
            List<FileMetaData> files = new ArrayList<>(levels.get(level));
            int lvl = level;
            edit.deletedFiles().stream()
                    .filter(d -> d.level() == lvl)
                    .forEach(d -> files.removeIf(f -> f.number() == d.number()));
            edit.newFiles().stream().filter(f -> f.level() == lvl).forEach(f -> files.add(f.file()));
            files.sort(level == 0 ? NEWEST_FIRST : BY_SMALLEST_KEY);
            next.add(List.copyOf(files));
        }
        return new Version(next);
    }

    public List<FileMetaData> files(int level) {
        return levels.get(level);
    }

    public int numFiles(int level) {
        return levels.get(level).size();
    }

    public long levelBytes(int level) {
        return levels.get(level).stream().mapToLong(FileMetaData::fileSize).sum();
    }

    /**
     * The value of the newest entry for the seek key's user key with a sequence at or below the
     * seek key's, from the newest file that has one: {@link io.strata.key.ValueType#DELETED} if that entry is a
     * deletion, null if no file has one.
     *
     * @param cachedOnly read no file: throw {@link io.strata.NotCachedException} where one would be read
     */
    public byte[] getValue(byte[] seekKey, TableCache tables, boolean cachedOnly) {
        List<FileMetaData> level0 = levels.get(0);
        for (int i = 0; i < level0.size(); i++) {
            FileMetaData f = level0.get(i);
            if (f.mayContainUserKeyOf(seekKey)) {
                byte[] v = tables.getValue(f, seekKey, cachedOnly);
                if (v != null) {
                    return v;
                }
            }
        }
        for (int level = 1; level < NUM_LEVELS; level++) {
            FileMetaData f = findFile(levels.get(level), seekKey);
            if (f != null) {
                byte[] v = tables.getValue(f, seekKey, cachedOnly);
                if (v != null) {
                    return v;
                }
            }
        }
        return null;
    }

    /** In a level of disjoint sorted files, the one whose range holds the user key of {@code ikey}, or null. */
    private static FileMetaData findFile(List<FileMetaData> files, byte[] ikey) {
        int lo = 0;
        int hi = files.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (InternalKey.compareUserKeys(files.get(mid).largest(), ikey) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo < files.size() && files.get(lo).mayContainUserKeyOf(ikey) ? files.get(lo) : null;
    }

    /**
     * Files of {@code level} whose user-key range meets [begin, end] (user keys; null = open).
     * At level 0, where ranges overlap, the range grows to cover every file it meets, so the
     * result never holds a file while leaving out an older one with the same key.
     */
    public List<FileMetaData> overlapping(int level, byte[] begin, byte[] end) {
        List<FileMetaData> out = new ArrayList<>();
        List<FileMetaData> files = levels.get(level);
        for (int i = 0; i < files.size(); i++) {
            FileMetaData f = files.get(i);
            if ((end != null && InternalKey.compareUserKey(f.smallest(), end) > 0)
                    || (begin != null && InternalKey.compareUserKey(f.largest(), begin) < 0)) {
                continue;
            }
            out.add(f);
            if (level == 0) {
                byte[] small = InternalKey.userKey(f.smallest());
                byte[] large = InternalKey.userKey(f.largest());
                boolean grew = false;
                if (begin != null && Arrays.compareUnsigned(small, begin) < 0) {
                    begin = small;
                    grew = true;
                }
                if (end != null && Arrays.compareUnsigned(large, end) > 0) {
                    end = large;
                    grew = true;
                }
                if (grew) {
                    out.clear();
                    i = -1;
                }
            }
        }
        return out;
    }

    /** Adds an iterator over every file, newest sources first. */
    public void addIterators(List<InternalIterator> out, TableCache tables) {
        for (List<FileMetaData> level : levels) {
            for (FileMetaData f : level) {
                out.add(tables.iterator(f));
            }
        }
    }
}
