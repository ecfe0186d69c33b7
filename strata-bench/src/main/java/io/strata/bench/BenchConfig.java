package io.strata.bench;

import io.strata.Compression;

/**
 * The settings of one bench invocation that every run shares, as the parent hands them to each
 * child JVM: the key space ({@code num} keys of {@code keySize} bytes, values of {@code valueSize}),
 * how many keys the read workloads read, the values' compressibility (null: random bytes), the
 * seed of every random choice, the engines' common options, the keys per batch of fillbatch and
 * the rate in writes per second of readwhilewriting's writer.
 */
record BenchConfig(
        int num,
        int reads,
        int keySize,
        int valueSize,
        Double compressionRatio,
        long seed,
        long writeBufferBytes,
        long cacheBytes,
        int bloomBitsPerKey,
        int blockSize,
        int batchSize,
        int writeRate) {

    /** The same settings over {@code n} keys (reads scaled alike), for a step with its own key count. */
    BenchConfig withNum(int n) {
        int r = (int) Math.min(Integer.MAX_VALUE, (long) reads * n / num);
        return new BenchConfig(
                n,
                Math.max(1, r),
                keySize,
                valueSize,
                compressionRatio,
                seed,
                writeBufferBytes,
                cacheBytes,
                bloomBitsPerKey,
                blockSize,
                batchSize,
                writeRate);
    }

    StoreOptions storeOptions(Compression compression, boolean sync) {
        return new StoreOptions(
                compression,
                writeBufferBytes,
                cacheBytes,
                bloomBitsPerKey,
                blockSize,
                sync,
                (long) num * (keySize + valueSize));
    }
}
