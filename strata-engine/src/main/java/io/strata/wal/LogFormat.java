package io.strata.wal;

/**
 * The framing shared by WAL segments and the MANIFEST: a file is a sequence of records
 *
 * <pre>
 * crc32c fixed32 | length fixed32 | payload[length]
 * </pre>
 *
 * where the CRC32C covers the 4 length bytes and the payload. A record is written with one
 * append, so a process crash can only leave the last record partly written (a torn tail).
 */
final class LogFormat {
    private LogFormat() {}

    static final int HEADER_SIZE = 8;
    /**
     * Largest payload: a maximal write batch. A length field above it cannot come from a torn
     * append, so a reader reports it as corruption even at the end of the log.
     */
    static final int MAX_PAYLOAD = io.strata.Limits.MAX_BATCH_SIZE;
}
