package io.strata.db;

import io.strata.CorruptionException;
import io.strata.WriteBatch;
import io.strata.key.InternalKey;
import io.strata.key.ValueType;
import io.strata.memtable.MemTable;
import io.strata.util.Coding;

import java.util.Arrays;

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
     * {@code source} names the record for error messages.
     */
    static long apply(byte[] record, MemTable mem, String source) {
        try {
            return decode(record, mem);
        } catch (CorruptionException e) {
            throw new CorruptionException(source + ": bad write batch: " + e.getMessage(), e);
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
                byte[] key = bytes(rec, pos);
                byte[] value;
                if (type == ValueType.VALUE) {
                    value = bytes(rec, pos);
                } else if (type == ValueType.DELETION) {
                    value = EMPTY;
                } else {
                    throw new CorruptionException("unknown entry type " + type);
                }
                mem.add(InternalKey.encode(key, seq + i, type), value);
            }
            last = seq + count - 1;
        }
        return last;
    }

    private static byte[] bytes(byte[] rec, int[] pos) {
        int len = Coding.getVarint32(rec, pos, rec.length);
        if (len > rec.length - pos[0]) {
            throw new CorruptionException("length " + len + " runs past the record");
        }
        byte[] b = Arrays.copyOfRange(rec, pos[0], pos[0] + len);
        pos[0] += len;
        return b;
    }
}
