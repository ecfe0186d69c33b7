package io.strata.version;

import io.strata.CorruptionException;
import io.strata.Limits;
import io.strata.key.InternalKey;
import io.strata.util.Coding;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A change to the set of live files, as one MANIFEST record. Encoding: a sequence of fields,
 * each a varint tag followed by its value:
 *
 * <pre>
 * 1 logNumber      varint64   WAL segments below this number are no longer needed
 * 2 nextFileNumber varint64
 * 3 lastSequence   varint64
 * 4 deletedFile    varint32 level | varint64 number
 * 5 newFile        varint32 level | varint64 number | varint64 size
 *                  | varint32 len | smallest internal key | varint32 len | largest internal key
 * 6 marker         varint32 len (0 to 64) | len bytes: the marker of the newest batch whose data the
 *                  tables hold (see {@link io.strata.WriteBatch#marker(byte[])}); absent: unchanged
 * </pre>
 */
public final class VersionEdit {
    private static final int TAG_LOG_NUMBER = 1;
    private static final int TAG_NEXT_FILE_NUMBER = 2;
    private static final int TAG_LAST_SEQUENCE = 3;
    private static final int TAG_DELETED_FILE = 4;
    private static final int TAG_NEW_FILE = 5;
    private static final int TAG_MARKER = 6;

    public record LevelFile(int level, FileMetaData file) {}

    public record DeletedFile(int level, long number) {}

    private long logNumber = -1;
    private long nextFileNumber = -1;
    private long lastSequence = -1;
    private byte[] marker;
    private final List<LevelFile> newFiles = new ArrayList<>();
    private final List<DeletedFile> deletedFiles = new ArrayList<>();

    public VersionEdit logNumber(long n) {
        this.logNumber = n;
        return this;
    }

    public VersionEdit nextFileNumber(long n) {
        this.nextFileNumber = n;
        return this;
    }

    public VersionEdit lastSequence(long s) {
        this.lastSequence = s;
        return this;
    }

    /** Records {@code m} as the marker of what the tables hold (null: the edit does not set one). */
    public VersionEdit marker(byte[] m) {
        if (m != null && m.length > Limits.MAX_MARKER_SIZE) {
            throw new IllegalArgumentException(
                    "marker of " + m.length + " bytes; the limit is " + Limits.MAX_MARKER_SIZE);
        }
        this.marker = m;
        return this;
    }

    public VersionEdit addFile(int level, FileMetaData file) {
        checkLevel(level);
        newFiles.add(new LevelFile(level, file));
        return this;
    }

    public VersionEdit deleteFile(int level, long number) {
        checkLevel(level);
        deletedFiles.add(new DeletedFile(level, number));
        return this;
    }

    /** -1 when the edit does not set it; likewise for the other numbers. */
    public long logNumber() {
        return logNumber;
    }

    public long nextFileNumber() {
        return nextFileNumber;
    }

    public long lastSequence() {
        return lastSequence;
    }

    /** The marker the edit records, or null when it does not set one. */
    public byte[] marker() {
        return marker;
    }

    public List<LevelFile> newFiles() {
        return newFiles;
    }

    public List<DeletedFile> deletedFiles() {
        return deletedFiles;
    }

    private static void checkLevel(int level) {
        if (level < 0 || level >= Version.NUM_LEVELS) {
            throw new IllegalArgumentException("level " + level + " out of range");
        }
    }

    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] scratch = new byte[10];
        if (logNumber >= 0) {
            varint(out, scratch, TAG_LOG_NUMBER);
            varint(out, scratch, logNumber);
        }
        if (nextFileNumber >= 0) {
            varint(out, scratch, TAG_NEXT_FILE_NUMBER);
            varint(out, scratch, nextFileNumber);
        }
        if (lastSequence >= 0) {
            varint(out, scratch, TAG_LAST_SEQUENCE);
            varint(out, scratch, lastSequence);
        }
        for (DeletedFile d : deletedFiles) {
            varint(out, scratch, TAG_DELETED_FILE);
            varint(out, scratch, d.level());
            varint(out, scratch, d.number());
        }
        for (LevelFile f : newFiles) {
            varint(out, scratch, TAG_NEW_FILE);
            varint(out, scratch, f.level());
            varint(out, scratch, f.file().number());
            varint(out, scratch, f.file().fileSize());
            bytes(out, scratch, f.file().smallest());
            bytes(out, scratch, f.file().largest());
        }
        if (marker != null) {
            varint(out, scratch, TAG_MARKER);
            bytes(out, scratch, marker);
        }
        return out.toByteArray();
    }

    private static void varint(ByteArrayOutputStream out, byte[] scratch, long v) {
        out.write(scratch, 0, Coding.putVarint64(scratch, 0, v));
    }

    private static void bytes(ByteArrayOutputStream out, byte[] scratch, byte[] b) {
        varint(out, scratch, b.length);
        out.write(b, 0, b.length);
    }

    /** Decodes one record; {@code source} names the file and offset for error messages. */
    public static VersionEdit decode(byte[] rec, String source) {
        try {
            return decode(rec);
        } catch (CorruptionException e) {
            throw new CorruptionException(source + ": bad version edit: " + e.getMessage(), e);
        }
    }

    private static VersionEdit decode(byte[] rec) {
        VersionEdit edit = new VersionEdit();
        int[] pos = {0};
        while (pos[0] < rec.length) {
            int tag = Coding.getVarint32(rec, pos, rec.length);
            switch (tag) {
                case TAG_LOG_NUMBER -> edit.logNumber = Coding.getVarint64(rec, pos, rec.length);
                case TAG_NEXT_FILE_NUMBER -> edit.nextFileNumber = Coding.getVarint64(rec, pos, rec.length);
                case TAG_LAST_SEQUENCE -> edit.lastSequence = Coding.getVarint64(rec, pos, rec.length);
                case TAG_DELETED_FILE -> {
                    int level = level(rec, pos);
                    edit.deletedFiles.add(new DeletedFile(level, Coding.getVarint64(rec, pos, rec.length)));
                }
                case TAG_NEW_FILE -> {
                    int level = level(rec, pos);
                    long number = Coding.getVarint64(rec, pos, rec.length);
                    long size = Coding.getVarint64(rec, pos, rec.length);
                    byte[] smallest = internalKey(rec, pos);
                    byte[] largest = internalKey(rec, pos);
                    edit.newFiles.add(new LevelFile(level, new FileMetaData(number, size, smallest, largest)));
                }
                case TAG_MARKER -> edit.marker = marker(rec, pos);
                default -> throw new CorruptionException("unknown tag " + tag);
            }
        }
        return edit;
    }

    private static int level(byte[] rec, int[] pos) {
        int level = Coding.getVarint32(rec, pos, rec.length);
        if (level >= Version.NUM_LEVELS) {
            throw new CorruptionException("level " + level + " out of range");
        }
        return level;
    }

    private static byte[] marker(byte[] rec, int[] pos) {
        int len = Coding.getVarint32(rec, pos, rec.length);
        if (len > Limits.MAX_MARKER_SIZE || len > rec.length - pos[0]) {
            throw new CorruptionException("bad marker length " + len);
        }
        byte[] m = Arrays.copyOfRange(rec, pos[0], pos[0] + len);
        pos[0] += len;
        return m;
    }

    private static byte[] internalKey(byte[] rec, int[] pos) {
        int len = Coding.getVarint32(rec, pos, rec.length);
        if (len < InternalKey.TRAILER_SIZE || len > rec.length - pos[0]) {
            throw new CorruptionException("bad internal key length " + len);
        }
        byte[] key = Arrays.copyOfRange(rec, pos[0], pos[0] + len);
        pos[0] += len;
        return key;
    }
}
