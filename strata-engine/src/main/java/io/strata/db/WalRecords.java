package io.strata.db;

import io.strata.CorruptionException;
import io.strata.iterator.InternalIterator;
import io.strata.key.InternalKey;
import io.strata.memtable.MemTable;

/**
 * Read-only decoding of WAL record payloads for tools ({@code strata db verify}): decodes a
 * record exactly as recovery replays it, into a scratch memtable that is then discarded.
 */
public final class WalRecords {
    private WalRecords() {}

    /** What a WAL record holds: its entry count and the sequences of its first and last entries. */
    public record Summary(long entries, long firstSequence, long lastSequence) {}

    /**
     * Decodes {@code record} (the payload of one WAL record: one or more write batches).
     * {@code source} names the record in error messages, e.g. "000007.wal record at offset 96".
     *
     * @throws CorruptionException if the payload is not a well-formed sequence of batches
     */
    public static Summary decode(byte[] record, String source) {
        MemTable scratch = new MemTable(0);
        BatchDecoder.apply(record, scratch, () -> source);
        long entries = 0;
        long first = Long.MAX_VALUE;
        long last = -1;
        try (InternalIterator it = scratch.iterator()) {
            for (it.seekToFirst(); it.valid(); it.next()) {
                long seq = InternalKey.sequence(it.key());
                first = Math.min(first, seq);
                last = Math.max(last, seq);
                entries++;
            }
        }
        return new Summary(entries, entries == 0 ? -1 : first, last);
    }
}
