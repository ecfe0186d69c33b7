package io.strata;

import io.strata.key.ValueType;
import io.strata.util.Coding;
import java.util.Arrays;

/**
 * Puts and deletes applied atomically, in order: after a crash either all of them are
 * present or none. The batch is kept in its WAL encoding so a commit writes it as it is:
 *
 * <pre>
 * sequence fixed64 | count fixed32 | record*
 * record := type u8 (1 = put, 0 = delete) | varint keyLength | key [| varint valueLength | value]
 * </pre>
 *
 * A batch may also carry a {@link #marker(byte[]) marker}, which is not part of that encoding
 * (the WAL does not hold it): the engine keeps it beside the data it applies.
 *
 * <p>Not thread-safe. A batch may be reused after {@link #clear()}.
 */
public final class WriteBatch {
    /** Bytes before the first record. */
    public static final int HEADER_SIZE = 12;

    private byte[] rep = new byte[64];
    private int size = HEADER_SIZE;
    private int count;
    /** The caller's position, or null; a copy of what the caller passed. */
    private byte[] marker;

    public WriteBatch put(byte[] key, byte[] value) {
        Limits.checkKey(key);
        Limits.checkValue(value);
        int need = 1 + Coding.varintLength(key.length) + key.length + Coding.varintLength(value.length) + value.length;
        ensure(need);
        rep[size++] = (byte) ValueType.VALUE;
        size = Coding.putVarint64(rep, size, key.length);
        System.arraycopy(key, 0, rep, size, key.length);
        size += key.length;
        size = Coding.putVarint64(rep, size, value.length);
        System.arraycopy(value, 0, rep, size, value.length);
        size += value.length;
        count++;
        return this;
    }

    public WriteBatch delete(byte[] key) {
        Limits.checkKey(key);
        ensure(1 + Coding.varintLength(key.length) + key.length);
        rep[size++] = (byte) ValueType.DELETION;
        size = Coding.putVarint64(rep, size, key.length);
        System.arraycopy(key, 0, rep, size, key.length);
        size += key.length;
        count++;
        return this;
    }

    /**
     * Sets the batch's marker (null, the default, for none): an opaque position of the caller's,
     * at most {@link Limits#MAX_MARKER_SIZE} bytes, such as a replicated log's term and index,
     * that the store keeps with the data of the batch and reports, once that data is durable, as
     * {@link StrataDb#durableMarker()}. Markers are compared as unsigned bytes, lexicographically
     * (so a big-endian term followed by a big-endian index orders as the log does), and must not
     * decrease from batch to batch: a write whose marker is below the one of the batch committed
     * before it throws an {@link IllegalArgumentException} and writes nothing. A batch without a
     * marker leaves the store's marker as it is. A batch with a marker may be empty: it then
     * writes no data, only the position. The array is copied.
     *
     * @throws IllegalArgumentException if the marker is longer than {@link Limits#MAX_MARKER_SIZE}
     */
    public WriteBatch marker(byte[] marker) {
        Limits.checkMarker(marker);
        this.marker = marker == null ? null : marker.clone();
        return this;
    }

    /** A copy of the batch's marker, or null if it has none. */
    public byte[] marker() {
        return marker == null ? null : marker.clone();
    }

    /**
     * Adds every put and delete of {@code other} after this batch's own, in their order, as
     * LevelDB's {@code WriteBatchInternal::Append} does: how writes made apart are committed as
     * one batch. {@code other} is unchanged.
     *
     * @throws IllegalArgumentException if {@code other} carries a marker (a position belongs to
     *     one batch, and this one's would silently stand for both), or if the result would pass
     *     {@link Limits#MAX_BATCH_SIZE}; this batch is then unchanged
     */
    public WriteBatch append(WriteBatch other) {
        if (other.marker != null) {
            throw new IllegalArgumentException("a batch with a marker cannot be appended to another");
        }
        int records = other.size - HEADER_SIZE;
        ensure(records);
        System.arraycopy(other.rep, HEADER_SIZE, rep, size, records);
        size += records;
        count += other.count;
        return this;
    }

    /** Number of puts and deletes. */
    public int count() {
        return count;
    }

    /** Encoded size in bytes, header included. */
    public int encodedSize() {
        return size;
    }

    public WriteBatch clear() {
        size = HEADER_SIZE;
        count = 0;
        marker = null;
        return this;
    }

    private void ensure(int extra) {
        long need = (long) size + extra;
        if (need > Limits.MAX_BATCH_SIZE) {
            throw new IllegalArgumentException(
                    "write batch would be " + need + " bytes; the limit is " + Limits.MAX_BATCH_SIZE);
        }
        if (need > rep.length) {
            rep = Arrays.copyOf(rep, (int) Math.min(Limits.MAX_BATCH_SIZE, Math.max(need, 2L * rep.length)));
        }
    }

    /**
     * The batch whose encoding ({@link #encodeInto}) is {@code src[off, off + len)}, its
     * sequence ignored: how a batch that travelled (a replicated log's entry) is rebuilt. Every
     * record is checked against the format and the key and value limits.
     *
     * @throws IllegalArgumentException if the bytes are not such an encoding
     */
    public static WriteBatch decode(byte[] src, int off, int len) {
        if (len < HEADER_SIZE || off < 0 || off + len > src.length) {
            throw new IllegalArgumentException("not a write batch: " + len + " bytes");
        }
        int expected = Coding.getFixed32(src, off + 8);
        int[] pos = {off + HEADER_SIZE};
        int limit = off + len;
        int records = 0;
        while (pos[0] < limit) {
            byte type = src[pos[0]++];
            if (type != ValueType.VALUE && type != ValueType.DELETION) {
                throw new IllegalArgumentException("write batch record " + records + ": unknown type " + type);
            }
            skipSlice(src, pos, limit, Limits.MAX_KEY_SIZE, records);
            if (type == ValueType.VALUE) {
                skipSlice(src, pos, limit, Limits.MAX_VALUE_SIZE, records);
            }
            records++;
        }
        if (records != expected) {
            throw new IllegalArgumentException(
                    "write batch holds " + records + " records, its header says " + expected);
        }
        WriteBatch b = new WriteBatch();
        b.ensure(len - HEADER_SIZE);
        System.arraycopy(src, off + HEADER_SIZE, b.rep, HEADER_SIZE, len - HEADER_SIZE);
        b.size = len;
        b.count = records;
        return b;
    }

    private static void skipSlice(byte[] src, int[] pos, int limit, int max, int record) {
        int n;
        try {
            n = Coding.getVarint32(src, pos, limit);
        } catch (CorruptionException e) {
            throw new IllegalArgumentException("write batch record " + record + ": " + e.getMessage(), e);
        }
        if (n < 0 || n > max || n > limit - pos[0]) {
            throw new IllegalArgumentException("write batch record " + record + ": bad length " + n);
        }
        pos[0] += n;
    }

    /**
     * Writes the encoding, with {@code sequence} as the first sequence number, into
     * {@code dst} at {@code off} ({@link #encodedSize()} bytes). For the engine's commit path.
     */
    public void encodeInto(byte[] dst, int off, long sequence) {
        System.arraycopy(rep, HEADER_SIZE, dst, off + HEADER_SIZE, size - HEADER_SIZE);
        Coding.putFixed64(dst, off, sequence);
        Coding.putFixed32(dst, off + 8, count);
    }
}
