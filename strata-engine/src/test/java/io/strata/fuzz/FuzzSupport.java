package io.strata.fuzz;

import io.strata.CorruptionException;
import io.strata.fs.ReadableFile;
import io.strata.fs.WritableFile;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Arrays;

/**
 * Shared by the Jazzer fuzz targets of the engine's on-disk formats. A target's only allowed
 * outcome besides success is a {@link CorruptionException}; anything else (an index error, a
 * NegativeArraySizeException, an OutOfMemoryError, an EOFException from reading past the file)
 * fails the target. Allocation is checked too: the bytes a target allocates must stay within
 * {@link #budget} of its input, so a length field cannot make a reader allocate what the input
 * does not hold.
 */
public final class FuzzSupport {
    private FuzzSupport() {}

    /** Fixed allowance for class loading and the like, on top of what the input size explains. */
    public static final long FIXED_ALLOWANCE = 8L * 1024 * 1024;
    /** Allowed allocation per input byte (copies of keys and values, iterator state, messages). */
    public static final long PER_INPUT_BYTE = 64;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** The allocation a target may make for {@code inputLength} input bytes. */
    public static long budget(long inputLength) {
        return FIXED_ALLOWANCE + PER_INPUT_BYTE * inputLength;
    }

    /** A piece of a target that may throw checked exceptions. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    /**
     * Runs {@code body}: returns normally if it succeeds or raises a {@link CorruptionException};
     * rethrows anything else; fails if it allocated more than {@link #budget} of
     * {@code inputLength} (twice in a row, so class loading on a first run does not count).
     */
    public static void expectOnlyCorruption(long inputLength, Body body) throws Exception {
        expectOnlyCorruption(inputLength, 0, body);
    }

    /**
     * As {@link #expectOnlyCorruption(long, Body)}, allowing {@code extra} bytes more: for
     * output the input may legitimately expand to (decompression).
     */
    public static void expectOnlyCorruption(long inputLength, long extra, Body body) throws Exception {
        long budget = budget(inputLength) + extra;
        long allocated = runMeasured(body);
        if (allocated > budget) {
            // The first run of a target loads (and in fuzzing mode instruments) classes in this
            // thread: measure again, so that only allocation the input causes every time fails.
            allocated = runMeasured(body);
            if (allocated > budget) {
                throw new AssertionError("allocated " + allocated + " bytes for " + inputLength
                        + " input bytes (budget " + budget + ")");
            }
        }
    }

    private static long runMeasured(Body body) throws Exception {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        try {
            body.run();
        } catch (CorruptionException expected) {
            // the documented outcome for damaged input
        }
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    /** Fails (as a hang would) when a loop runs more than {@code limit} steps. */
    public static void checkSteps(long steps, long limit, String what) {
        if (steps > limit) {
            throw new AssertionError(what + " ran " + steps + " steps, more than " + limit
                    + " for its input: a loop that does not advance");
        }
    }

    /** A read-only file over a byte array; reads past its end raise EOFException, as files do. */
    public static final class MemReadableFile implements ReadableFile {
        private final byte[] data;

        public MemReadableFile(byte[] data) {
            this.data = data;
        }

        @Override
        public void readFully(long position, byte[] dst, int off, int len) throws IOException {
            if (position < 0 || len < 0 || position > data.length - (long) len) {
                throw new EOFException(
                        "read of " + len + " bytes at " + position + " past the end (" + data.length + " bytes)");
            }
            System.arraycopy(data, (int) position, dst, off, len);
        }

        @Override
        public long size() {
            return data.length;
        }

        @Override
        public void close() {}
    }

    /** A writable file in memory, for writing seed inputs with the real writers. */
    public static final class MemWritableFile implements WritableFile {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        @Override
        public void append(byte[] data, int off, int len) {
            out.write(data, off, len);
        }

        @Override
        public void sync() {}

        @Override
        public long size() {
            return out.size();
        }

        @Override
        public void truncate(long size) {
            byte[] b = Arrays.copyOf(out.toByteArray(), (int) size);
            out.reset();
            out.write(b, 0, b.length);
        }

        @Override
        public void close() {}

        public byte[] bytes() {
            return out.toByteArray();
        }
    }
}
