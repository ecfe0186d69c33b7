package io.strata.memtable;

import io.strata.key.InternalKey;
import io.strata.util.Coding;
import java.util.Arrays;

/**
 * A memtable's entries, encoded one after another into the {@code byte[]} chunks of an
 * {@link Arena} (256 KiB chunks once the table has grown; an entry over 64 KiB that does not fit
 * gets a chunk of its own).
 * An entry is, as in LevelDB:
 * <pre>
 *   varint32  internal key length k
 *   k bytes   internal key (user key, then the 8-byte little-endian trailer)
 *   varint32  value length v (0 for a tombstone)
 *   v bytes   value
 * </pre>
 * and is named by the arena address of its first byte. An entry is written once and never
 * changes; readers reach it only through the skip list, whose release/acquire links make its
 * bytes visible (see {@link SkipList}). Readers get copies, never the arena's arrays.
 *
 * <p>Threads: {@link #add} by the one writer (see {@link MemTable}); the rest by anyone.
 */
final class MemTableEntries implements SkipList.KeyComparator {
    private static final int FIRST_CHUNK_BYTES = 4 * 1024;

    private final Arena<byte[]> arena = new Arena<>(byte[]::new, FIRST_CHUNK_BYTES, Arena.MAX_CHUNK_BYTES);

    /**
     * Encodes the entry of internal key {@code userKey[keyOff, keyOff + keyLen)} + {@code trailer}
     * and value {@code value[valueOff, valueOff + valueLen)}, copied straight from the caller's
     * arrays (a WAL record, say), and returns its address. Writer only.
     */
    long add(byte[] userKey, int keyOff, int keyLen, long trailer, byte[] value, int valueOff, int valueLen) {
        int internalKeyLength = keyLen + InternalKey.TRAILER_SIZE;
        int size =
                Coding.varintLength(internalKeyLength) + internalKeyLength + Coding.varintLength(valueLen) + valueLen;
        long address = arena.allocate(size);
        byte[] chunk = arena.chunk(address);
        int at = Coding.putVarint64(chunk, Arena.offset(address), internalKeyLength);
        System.arraycopy(userKey, keyOff, chunk, at, keyLen);
        Coding.putFixed64(chunk, at + keyLen, trailer);
        at = Coding.putVarint64(chunk, at + internalKeyLength, valueLen);
        System.arraycopy(value, valueOff, chunk, at, valueLen);
        return address;
    }

    /** Bytes of entry storage allocated. Writer only. */
    long usedBytes() {
        return arena.used();
    }

    @Override
    public int compare(long entry, byte[] key) {
        byte[] chunk = arena.chunk(entry);
        int at = Arena.offset(entry);
        int length = Coding.getTrustedVarint32(chunk, at);
        return InternalKey.compare(chunk, at + Coding.varintLength(length), length, key, 0, key.length);
    }

    @Override
    public int compare(long entry, long other) {
        byte[] chunk = arena.chunk(entry);
        int at = Arena.offset(entry);
        int length = Coding.getTrustedVarint32(chunk, at);
        byte[] otherChunk = arena.chunk(other);
        int otherAt = Arena.offset(other);
        int otherLength = Coding.getTrustedVarint32(otherChunk, otherAt);
        return InternalKey.compare(
                chunk,
                at + Coding.varintLength(length),
                length,
                otherChunk,
                otherAt + Coding.varintLength(otherLength),
                otherLength);
    }

    /** Whether the entry's user key is that of the internal key {@code key}. */
    boolean hasUserKey(long entry, byte[] key) {
        return hasUserKey(entry, key, 0, key.length - InternalKey.TRAILER_SIZE);
    }

    /** Whether the entry's user key is {@code key[off, off + len)}. */
    boolean hasUserKey(long entry, byte[] key, int off, int len) {
        byte[] chunk = arena.chunk(entry);
        int at = Arena.offset(entry);
        int length = Coding.getTrustedVarint32(chunk, at);
        at += Coding.varintLength(length);
        return Arrays.equals(chunk, at, at + length - InternalKey.TRAILER_SIZE, key, off, off + len);
    }

    /** The entry's trailer: (sequence << 8) | type. */
    long trailer(long entry) {
        byte[] chunk = arena.chunk(entry);
        int at = Arena.offset(entry);
        int length = Coding.getTrustedVarint32(chunk, at);
        return Coding.getFixed64(chunk, at + Coding.varintLength(length) + length - InternalKey.TRAILER_SIZE);
    }

    /** A copy of the entry's internal key. */
    byte[] key(long entry) {
        byte[] chunk = arena.chunk(entry);
        int at = Arena.offset(entry);
        int length = Coding.getTrustedVarint32(chunk, at);
        at += Coding.varintLength(length);
        return Arrays.copyOfRange(chunk, at, at + length);
    }

    /** A copy of the entry's value. */
    byte[] value(long entry) {
        byte[] chunk = arena.chunk(entry);
        int at = Arena.offset(entry);
        int keyLength = Coding.getTrustedVarint32(chunk, at);
        at += Coding.varintLength(keyLength) + keyLength;
        int length = Coding.getTrustedVarint32(chunk, at);
        at += Coding.varintLength(length);
        return Arrays.copyOfRange(chunk, at, at + length);
    }
}
