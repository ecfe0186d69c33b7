package io.strata.wal;

import io.strata.CorruptionException;
import io.strata.fs.ReadableFile;
import io.strata.util.Checksums;
import io.strata.util.Coding;
import java.io.IOException;

/**
 * Reads the records of a log file in order (see {@link LogFormat}).
 *
 * <p>A crash can tear only the record being appended, which is the last one of the newest
 * log. So when {@code tornTailAllowed} is set, a bad record that runs to the end of the file,
 * or is followed by nothing but zero bytes (space the file system extended but never wrote),
 * ends the log quietly. Any other bad record is corruption and raises a
 * {@link CorruptionException} naming the file and offset.
 */
public final class LogReader {
    private static final int CHUNK = 64 * 1024;

    private final ReadableFile file;
    private final String fileName;
    private final boolean tornTailAllowed;
    private final long fileSize;
    private long offset;
    private boolean tornTail;

    public LogReader(ReadableFile file, String fileName, boolean tornTailAllowed) throws IOException {
        this.file = file;
        this.fileName = fileName;
        this.tornTailAllowed = tornTailAllowed;
        this.fileSize = file.size();
    }

    /** The next record's payload, or null at the end of the log. */
    public byte[] next() throws IOException {
        if (offset >= fileSize) {
            return null;
        }
        long remaining = fileSize - offset;
        if (remaining < LogFormat.HEADER_SIZE) {
            return badRecord("incomplete record header (" + remaining + " bytes)", true);
        }
        byte[] header = new byte[LogFormat.HEADER_SIZE];
        file.readFully(offset, header, 0, header.length);
        long length = Coding.getFixed32(header, 4) & 0xffffffffL;
        if (length > LogFormat.MAX_PAYLOAD) {
            return badRecord("record length " + length + " exceeds the limit of " + LogFormat.MAX_PAYLOAD, false);
        }
        if (length > remaining - LogFormat.HEADER_SIZE) {
            return badRecord("record length " + length + " runs past the end of the file", true);
        }
        byte[] payload = new byte[(int) length];
        file.readFully(offset + LogFormat.HEADER_SIZE, payload, 0, payload.length);
        int expected = Coding.getFixed32(header, 0);
        int actual = Checksums.crc32c(header, 4, 4, payload, 0, payload.length);
        if (expected != actual) {
            boolean atEnd = offset + LogFormat.HEADER_SIZE + length == fileSize;
            return badRecord("checksum mismatch in record of length " + length, atEnd);
        }
        offset += LogFormat.HEADER_SIZE + length;
        return payload;
    }

    /** Whether the log ended in a torn record that was dropped. */
    public boolean droppedTornTail() {
        return tornTail;
    }

    /** Offset just past the last good record read. */
    public long offset() {
        return offset;
    }

    private byte[] badRecord(String why, boolean reachesEnd) throws IOException {
        if (tornTailAllowed && (reachesEnd || onlyZerosFrom(offset))) {
            tornTail = true;
            offset = fileSize;
            return null;
        }
        throw new CorruptionException(fileName + ": corrupt record at offset " + offset + ": " + why);
    }

    private boolean onlyZerosFrom(long from) throws IOException {
        byte[] buf = new byte[CHUNK];
        for (long pos = from; pos < fileSize; pos += CHUNK) {
            int n = (int) Math.min(CHUNK, fileSize - pos);
            file.readFully(pos, buf, 0, n);
            for (int i = 0; i < n; i++) {
                if (buf[i] != 0) {
                    return false;
                }
            }
        }
        return true;
    }
}
