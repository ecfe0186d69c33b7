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
                int keyLength = length(rec, pos);
                int keyOff = pos[0];
                pos[0] += keyLength;
                int valueLength = type == ValueType.VALUE ? length(rec, pos) : 0;
                mem.add(rec, keyOff, keyLength, ((seq + i) << 8) | type, rec, pos[0], valueLength);
                pos[0] += valueLength;
            }
            last = seq + count - 1;
        }
        return last;
    }

    /** The length prefix of a byte string at {@code pos}, checked against the record; moves past it. */
    private static int length(byte[] rec, int[] pos) {
        int len = Coding.getVarint32(rec, pos, rec.length);
        if (len > rec.length - pos[0]) {
            throw new CorruptionException("length " + len + " runs past the record");
        }
        return len;
    }
}
