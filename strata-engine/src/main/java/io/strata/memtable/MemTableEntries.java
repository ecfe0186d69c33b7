package io.strata.memtable;

import io.strata.key.InternalKey;
import io.strata.util.Coding;
import java.util.Arrays;

/**
 * A memtable's entries, encoded one after another into the {@code byte[]} chunks of an
 * {@link Arena} (256 KiB chunks once the table has grown; an entry over 64 KiB that does not fit
 * gets a chunk of its own).
 * An entry is LevelDB's, after a link to the next older entry of its user key:
 * <pre>
 *   8 bytes   address of the next older entry of the same user key, 0 for none (little-endian)
 *   varint32  internal key length k
 *   k bytes   internal key (user key, then the 8-byte little-endian trailer)
 *   varint32  value length v (0 for a tombstone)
 *   v bytes   value
 * </pre>
 * and is named by the arena address of its first byte; no entry has address 0 (the arena's
 * first 8 bytes are left unused), so 0 in a link means "none". A key's entries thus form a
 * chain, newest first, whose head is its skip-list node's entry (see {@link SkipList}).
 *
 * <p><b>Publication.</b> An entry, its link included, is written once, with plain stores, before
 * it is published; it never changes after. Readers reach an entry through an acquire load of a
 * node's entry slot (see {@link SkipList}) and from there down links written before that slot's
 * release store, so they see its bytes whole. Readers get copies, never the arena's arrays.
 *
 * <p>Threads: {@link #add}, {@link #copy} and {@link #linkOlder} by the one writer (see
 * {@link MemTable}); the rest by anyone.
 */
final class MemTableEntries implements SkipList.KeyComparator {
    private static final int FIRST_CHUNK_BYTES = 4 * 1024;
    private static final int LINK_BYTES = Long.BYTES;

    private final Arena<byte[]> arena = new Arena<>(byte[]::new, FIRST_CHUNK_BYTES, Arena.MAX_CHUNK_BYTES);

    MemTableEntries() {
        arena.allocate(LINK_BYTES); // address 0 is no entry's
    }

    /**
     * Encodes the entry of internal key {@code userKey[keyOff, keyOff + keyLen)} + {@code trailer}
     * and value {@code value[valueOff, valueOff + valueLen)}, copied straight from the caller's
     * arrays (a WAL record, say), with no older entry, and returns its address. Writer only.
     */
    long add(byte[] userKey, int keyOff, int keyLen, long trailer, byte[] value, int valueOff, int valueLen) {
        int internalKeyLength = keyLen + InternalKey.TRAILER_SIZE;
        int size = LINK_BYTES
                + Coding.varintLength(internalKeyLength)
                + internalKeyLength
                + Coding.varintLength(valueLen)
                + valueLen;
        long address = arena.allocate(size);
        byte[] chunk = arena.chunk(address);
        int at = Coding.putVarint64(chunk, Arena.offset(address) + LINK_BYTES, internalKeyLength);
        System.arraycopy(userKey, keyOff, chunk, at, keyLen);
        Coding.putFixed64(chunk, at + keyLen, trailer);
        at = Coding.putVarint64(chunk, at + internalKeyLength, valueLen);
        System.arraycopy(value, valueOff, chunk, at, valueLen);
        return address;
    }

    /**
     * A copy of {@code entry} (its link too), not yet published, which the caller links anew.
     * Writer only.
     */
    long copy(long entry) {
        byte[] chunk = arena.chunk(entry);
        int at = Arena.offset(entry);
        int keyAt = at + LINK_BYTES;
        int keyLength = Coding.getTrustedVarint32(chunk, keyAt);
        int valueAt = keyAt + Coding.varintLength(keyLength) + keyLength;
        int valueLength = Coding.getTrustedVarint32(chunk, valueAt);
        int size = valueAt + Coding.varintLength(valueLength) + valueLength - at;
        long copy = arena.allocate(size);
        System.arraycopy(chunk, at, arena.chunk(copy), Arena.offset(copy), size);
        return copy;
    }

    /** The next older entry of {@code entry}'s user key, or 0. */
    long older(long entry) {
        return Coding.getFixed64(arena.chunk(entry), Arena.offset(entry));
    }

    /**
     * The first entry of the chain from {@code entry} (newest first) whose trailer is at most
     * {@code trailer}, or 0: what a reader at that trailer's sequence sees of the key.
     */
    long atOrBelow(long entry, long trailer) {
        while (entry != 0 && Long.compareUnsigned(trailer(entry), trailer) > 0) {
            entry = older(entry);
        }
        return entry;
    }

    /** Sets the link of {@code entry}, not yet published, to {@code older}. Writer only. */
    void linkOlder(long entry, long older) {
        Coding.putFixed64(arena.chunk(entry), Arena.offset(entry), older);
    }

    /** Bytes of entry storage allocated. Writer only. */
    long usedBytes() {
        return arena.used();
    }

    @Override
    public int compare(long entry, byte[] key, int len) {
        byte[] chunk = arena.chunk(entry);
        int at = Arena.offset(entry) + LINK_BYTES;
        int length = Coding.getTrustedVarint32(chunk, at);
        at += Coding.varintLength(length);
        return Arrays.compareUnsigned(chunk, at, at + length - InternalKey.TRAILER_SIZE, key, 0, len);
    }

    @Override
    public int compare(long entry, long other) {
        byte[] chunk = arena.chunk(entry);
        int at = Arena.offset(entry) + LINK_BYTES;
        int length = Coding.getTrustedVarint32(chunk, at);
        at += Coding.varintLength(length);
        byte[] otherChunk = arena.chunk(other);
        int otherAt = Arena.offset(other) + LINK_BYTES;
        int otherLength = Coding.getTrustedVarint32(otherChunk, otherAt);
        otherAt += Coding.varintLength(otherLength);
        return Arrays.compareUnsigned(
                chunk,
                at,
                at + length - InternalKey.TRAILER_SIZE,
                otherChunk,
                otherAt,
                otherAt + otherLength - InternalKey.TRAILER_SIZE);
    }

    /** Whether the entry's user key is that of the internal key {@code key}. */
    boolean hasUserKey(long entry, byte[] key) {
        return hasUserKey(entry, key, 0, key.length - InternalKey.TRAILER_SIZE);
    }

    /** Whether the entry's user key is {@code key[off, off + len)}. */
    boolean hasUserKey(long entry, byte[] key, int off, int len) {
        byte[] chunk = arena.chunk(entry);
        int at = Arena.offset(entry) + LINK_BYTES;
        int length = Coding.getTrustedVarint32(chunk, at);
        at += Coding.varintLength(length);
        return Arrays.equals(chunk, at, at + length - InternalKey.TRAILER_SIZE, key, off, off + len);
    }

    /** The entry's trailer: (sequence << 8) | type. */
    long trailer(long entry) {
        byte[] chunk = arena.chunk(entry);
        int at = Arena.offset(entry) + LINK_BYTES;
        int length = Coding.getTrustedVarint32(chunk, at);
        return Coding.getFixed64(chunk, at + Coding.varintLength(length) + length - InternalKey.TRAILER_SIZE);
    }

    /** A copy of the entry's internal key. */
    byte[] key(long entry) {
        byte[] chunk = arena.chunk(entry);
        int at = Arena.offset(entry) + LINK_BYTES;
        int length = Coding.getTrustedVarint32(chunk, at);
        at += Coding.varintLength(length);
        return Arrays.copyOfRange(chunk, at, at + length);
    }

    /** A copy of the entry's value. */
    byte[] value(long entry) {
        byte[] chunk = arena.chunk(entry);
        int at = Arena.offset(entry) + LINK_BYTES;
        int keyLength = Coding.getTrustedVarint32(chunk, at);
        at += Coding.varintLength(keyLength) + keyLength;
        int length = Coding.getTrustedVarint32(chunk, at);
        at += Coding.varintLength(length);
        return Arrays.copyOfRange(chunk, at, at + length);
    }
}
