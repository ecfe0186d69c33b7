package io.strata.bench;

import java.util.SplittableRandom;

/**
 * The bytes of values after their key index: random (incompressible), or with a compression
 * ratio as db_bench's {@code --compression_ratio}: a 1 MiB pool of 100-byte pieces, each a random
 * printable string of {@code 100 x ratio} bytes repeated to fill it, values taking consecutive
 * slices. Not thread-safe: one per thread.
 */
final class ValueFiller {
    private final SplittableRandom rnd;
    private final byte[] pool;
    private int pos;

    /** With {@code ratio} null the bytes are random. */
    ValueFiller(SplittableRandom rnd, Double ratio) {
        this.rnd = rnd;
        this.pool = ratio == null ? null : pool(rnd, ratio);
    }

    private static byte[] pool(SplittableRandom rnd, double ratio) {
        byte[] data = new byte[1 << 20];
        int raw = Math.max(1, (int) (100 * ratio));
        byte[] piece = new byte[raw];
        for (int off = 0; off < data.length; off += 100) {
            for (int i = 0; i < raw; i++) {
                piece[i] = (byte) (' ' + rnd.nextInt(95));
            }
            for (int i = 0; i < 100 && off + i < data.length; i++) {
                data[off + i] = piece[i % raw];
            }
        }
        return data;
    }

    /** Fills {@code b[from, b.length)}. */
    void fill(byte[] b, int from) {
        int n = b.length - from;
        if (pool != null) {
            if (pos + n > pool.length) {
                pos = 0;
            }
            System.arraycopy(pool, pos, b, from, Math.min(n, pool.length));
            pos += n;
            return;
        }
        for (int i = from; i < b.length; i += 8) {
            long v = rnd.nextLong();
            for (int j = 0; j < 8 && i + j < b.length; j++) {
                b[i + j] = (byte) (v >>> (8 * j));
            }
        }
    }
}
