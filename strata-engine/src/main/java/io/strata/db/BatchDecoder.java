package io.strata.db;

import io.strata.CorruptionException;
import io.strata.WriteBatch;
import io.strata.key.InternalKey;
import io.strata.key.ValueType;
import io.strata.memtable.MemTable;
import io.strata.util.Coding;

import java.util.function.Supplier;

/**
 * Applies a WAL record to a memtable. A record is one or more {@link WriteBatch} encodings
 * back to back (one per batch of a commit group), each numbering its entries from its own
 * first sequence.
 */
final class BatchDecoder {
    private BatchDecoder() {}

    private static final byte[] EMPTY = new byte[0];

    /**
     * Inserts every entry of {@code record} into {@code mem}; returns the last sequence used.
     * {@code source} names the record for error messages (made only when one is raised).
     */
    static long apply(byte[] record, MemTable mem, Supplier<String> source) {
        try {
            return decode(record, mem);
        } catch (CorruptionException e) {
            throw new CorruptionException(source.get() + ": bad write batch: " + e.getMessage(), e);
        }
    }

    private static long decode(byte[] rec, MemTable mem) {
        int[] pos = {0};
        long last = -1;
        while (pos[0] < rec.length) {
            if (rec.length - pos[0] < WriteBatch.HEADER_SIZE) {
                throw new CorruptionException("truncated batch header");
            }
            long seq = Coding.getFixed64(rec, pos[0]);
            int count = Coding.getFixed32(rec, pos[0] + 8);
            if (count < 0 || seq < 0 || seq + count - 1 > InternalKey.MAX_SEQUENCE) {
                throw new CorruptionException("bad batch header: sequence " + seq + ", count " + count);
            }
            pos[0] += WriteBatch.HEADER_SIZE;
            for (int i = 0; i < count; i++) {
                if (pos[0] >= rec.length) {
                    throw new CorruptionException("batch ends after " + i + " of " + count + " entries");
                }
                int type = rec[pos[0]++];
                if (type != ValueType.VALUE && type != ValueType.DELETION) {
                    throw new CorruptionException("unknown entry type " + type);
                }
                byte[] internalKey = internalKey(rec, pos, seq + i, type);
                mem.add(internalKey, type == ValueType.VALUE ? bytes(rec, pos, 0) : EMPTY);
            }
            last = seq + count - 1;
        }
        return last;
    }

    /** The user key at {@code pos} with its trailer appended, copied once. */
    private static byte[] internalKey(byte[] rec, int[] pos, long sequence, int type) {
        byte[] ikey = bytes(rec, pos, InternalKey.TRAILER_SIZE);
        Coding.putFixed64(ikey, ikey.length - InternalKey.TRAILER_SIZE, (sequence << 8) | type);
        return ikey;
    }

    /** A length-prefixed byte string at {@code pos}, copied into an array with {@code spare} bytes after it. */
    private static byte[] bytes(byte[] rec, int[] pos, int spare) {
        int len = Coding.getVarint32(rec, pos, rec.length);
        if (len > rec.length - pos[0]) {
            throw new CorruptionException("length " + len + " runs past the record");
        }
        byte[] b = new byte[len + spare];
        System.arraycopy(rec, pos[0], b, 0, len);
        pos[0] += len;
        return b;
    }
}
