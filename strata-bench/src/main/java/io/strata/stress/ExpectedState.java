package io.strata.stress;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * What the store must hold, kept outside it in a memory-mapped file that outlives a SIGKILL of
 * the stress process (its pages belong to the kernel's page cache; a power loss is not
 * modelled). After a 64-byte header (magic, key count, value sizes) every key has a 16-byte
 * slot of two words, each written with one aligned 8-byte volatile store, so that a word is
 * always whole and the stores reach memory in program order:
 *
 * <ul>
 *   <li><b>acked</b>: the key's last acknowledged state, {@code version << 1 | present};</li>
 *   <li><b>pending</b>: 0, or the write in flight: {@code seq << 25 | (version & 0xFFFFFF) << 1 | present},
 *       where {@code seq} (from 1, per run) is shared by the keys of one write batch.</li>
 * </ul>
 *
 * A write of keys K (one key, or a batch) holding their locks: sets pending on every key of K,
 * writes to the store, sets acked on every key of K, then clears pending on every key of K.
 * A kill can therefore leave a key (a) with its pending version one above acked: the write
 * was issued and may or may not have reached the store; (b) with pending equal to acked: the
 * write was acknowledged and the batch was being recorded, so every key with the same seq must
 * hold it. Phases never mix more than that, since each completes for all of K before the next
 * starts. {@link Verifier} settles both before a run goes on. Only the lock holder of a key
 * writes its slot; lock-free readers read single words.
 */
final class ExpectedState implements AutoCloseable {
    private static final long MAGIC = 0x5354524553533031L; // "STRESS01"
    private static final int HEADER = 64;
    private static final int SLOT = 16;
    private static final int VERSION_BITS = 24;
    private static final int VERSION_MASK = (1 << VERSION_BITS) - 1;
    private static final long MAX_SEQ = (1L << 39) - 1;
    private static final VarHandle WORDS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final Path file;
    private final int keys;
    private final MappedByteBuffer map;

    /** A key's slot, decoded; {@code pending} is null when no write is recorded as in flight. */
    record Slot(KeyState acked, long seq, KeyState pending) {
        /** Whether the pending write was acknowledged and is being recorded (pending = acked). */
        boolean settled() {
            return pending != null && pending.version() == acked.version();
        }
    }

    private ExpectedState(Path file, int keys, MappedByteBuffer map) {
        this.file = file;
        this.keys = keys;
        this.map = map;
    }

    /**
     * Creates the file for {@code keys} keys all absent, whole or not at all (written aside,
     * then renamed).
     */
    static void create(Path file, int keys, ValueFormat format) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            header.putLong(MAGIC)
                    .putLong(keys)
                    .putInt(format.minSize())
                    .putInt(format.maxSize())
                    .rewind();
            ch.write(header, 0);
            ch.write(ByteBuffer.allocate(1), HEADER + (long) SLOT * keys - 1);
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Opens a file made by {@link #create} for the same key count and value sizes.
     *
     * @throws IllegalArgumentException if it is no expected-state file or was made for others
     */
    static ExpectedState open(Path file, int keys, ValueFormat format) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = HEADER + (long) SLOT * keys;
            ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(header, 0);
            header.flip();
            if (header.remaining() < HEADER || header.getLong() != MAGIC) {
                throw new IllegalArgumentException(file + " is not a stress expected-state file");
            }
            long fileKeys = header.getLong();
            int min = header.getInt();
            int max = header.getInt();
            if (fileKeys != keys || min != format.minSize() || max != format.maxSize()) {
                throw new IllegalArgumentException(file + " was made with --keys " + fileKeys + " --value-size " + min
                        + "," + max + "; run with the same (or start over with a new store and file)");
            }
            if (ch.size() != size) {
                throw new IllegalArgumentException(file + " has " + ch.size() + " bytes, not " + size);
            }
            return new ExpectedState(file, keys, ch.map(FileChannel.MapMode.READ_WRITE, 0, size));
        }
    }

    int keys() {
        return keys;
    }

    /** The acknowledged state (one volatile read: safe without the key's lock). */
    KeyState acked(int key) {
        long w = (long) WORDS.getVolatile(map, ackedOffset(key));
        return new KeyState((int) (w >>> 1), (w & 1) != 0);
    }

    /**
     * The state of the write recorded in flight, or null (one volatile read: safe without the
     * key's lock). Its version is stored modulo 2^24: it is taken to be the lowest version at
     * or above {@code lowest} with those low bits, which is exact for any {@code lowest} read
     * before, as the version in flight is at most one above the acked one.
     */
    KeyState pending(int key, KeyState lowest) {
        long w = (long) WORDS.getVolatile(map, pendingOffset(key));
        if (w == 0) {
            return null;
        }
        int low = (int) (w >>> 1) & VERSION_MASK;
        return new KeyState(lowest.version() + ((low - lowest.version()) & VERSION_MASK), (w & 1) != 0);
    }

    /** The whole slot; only for the key's lock holder, or with no writer running. */
    Slot slot(int key) {
        KeyState acked = acked(key);
        long w = (long) WORDS.getVolatile(map, pendingOffset(key));
        if (w == 0) {
            return new Slot(acked, 0, null);
        }
        KeyState pending = pending(key, acked);
        if (pending.version() > acked.version() + 1) {
            throw new StressFailure(file + " is damaged: key " + key + " has acked version " + acked.version()
                    + " and a pending version ending in " + (((int) (w >>> 1)) & VERSION_MASK));
        }
        return new Slot(acked, w >>> (VERSION_BITS + 1), pending);
    }

    void setPending(int key, long seq, KeyState state) {
        if (seq < 1 || seq > MAX_SEQ) {
            throw new StressFailure("write sequence " + seq + " out of range 1.." + MAX_SEQ);
        }
        long w = seq << (VERSION_BITS + 1) | (long) (state.version() & VERSION_MASK) << 1 | (state.present() ? 1 : 0);
        WORDS.setVolatile(map, pendingOffset(key), w);
    }

    void setAcked(int key, KeyState state) {
        WORDS.setVolatile(map, ackedOffset(key), (long) state.version() << 1 | (state.present() ? 1 : 0));
    }

    void clearPending(int key) {
        WORDS.setVolatile(map, pendingOffset(key), 0L);
    }

    private int ackedOffset(int key) {
        return HEADER + SLOT * key;
    }

    private int pendingOffset(int key) {
        return HEADER + SLOT * key + 8;
    }

    /** Writes the pages back (for a power loss after a clean exit; a kill needs nothing). */
    @Override
    public void close() {
        map.force();
    }
}
