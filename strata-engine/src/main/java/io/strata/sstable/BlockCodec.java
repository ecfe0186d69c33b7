package io.strata.sstable;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import io.strata.Compression;
import io.strata.CorruptionException;
import io.strata.Limits;
import io.strata.key.InternalKey;
import io.strata.util.Coding;
import java.util.concurrent.ArrayBlockingQueue;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * Compression of data blocks. A compressed block is stored as a varint32 holding the length
 * of the uncompressed contents, then the codec's output (an LZ4 block, or a Zstd frame); the
 * trailer's type byte says which codec. A block is stored compressed only if that saves at
 * least an eighth of its size.
 *
 * <p>Decompression is bounded: an uncompressed length above {@link #MAX_UNCOMPRESSED_LENGTH}
 * (no builder writes a larger compressed block) or above what the stored bytes can expand to
 * ({@link #maxExpansion}), output of another length than the prefix
 * says, or any error from the codec is a {@link CorruptionException} naming the file and
 * block offset. The native codecs are loaded on first use only.
 */
final class BlockCodec {
    /**
     * The largest block contents a table may hold compressed: a block of the largest block
     * size Options allows (16 MiB) plus one entry of the largest key and value, with slack.
     * Larger blocks are stored uncompressed.
     */
    static final int MAX_UNCOMPRESSED_LENGTH =
            16 * 1024 * 1024 + Limits.MAX_VALUE_SIZE + Limits.MAX_KEY_SIZE + InternalKey.TRAILER_SIZE + 1024;

    static final int ZSTD_LEVEL = 3;
    /** Zstd contexts kept for reuse (creating one allocates some 100 KiB of native memory). */
    private static final int POOLED_CONTEXTS = 8;

    private BlockCodec() {}

    static byte type(Compression c) {
        return switch (c) {
            case NONE -> BlockTrailer.NO_COMPRESSION;
            case LZ4 -> BlockTrailer.LZ4;
            case ZSTD -> BlockTrailer.ZSTD;
        };
    }

    static String name(byte type) {
        return switch (type) {
            case BlockTrailer.LZ4 -> "LZ4";
            case BlockTrailer.ZSTD -> "Zstd";
            default -> "none";
        };
    }

    /** Compresses data blocks for one {@link TableBuilder}; not thread-safe. */
    static final class Compressor {
        private final Compression compression;
        private byte[] buffer = new byte[0];

        Compressor(Compression compression) {
            this.compression = compression;
        }

        /**
         * Compresses {@code contents} into {@link #buffer()}: returns the stored length, or -1
         * when the block is to be stored as it is (no compression, too little saved, too big).
         */
        int compress(byte[] contents) {
            int n = contents.length;
            if (compression == Compression.NONE || n > MAX_UNCOMPRESSED_LENGTH) {
                return -1;
            }
            int prefix = Coding.varintLength(n);
            int bound = prefix
                    + switch (compression) {
                        case LZ4 -> Lz4.COMPRESSOR.maxCompressedLength(n);
                        case ZSTD -> Math.toIntExact(Zstd.compressBound(n));
                        case NONE -> 0;
                    };
            if (buffer.length < bound) {
                buffer = new byte[bound];
            }
            Coding.putVarint64(buffer, 0, n);
            int written = switch (compression) {
                case LZ4 -> Lz4.COMPRESSOR.compress(contents, 0, n, buffer, prefix, bound - prefix);
                case ZSTD -> zstdCompress(contents, buffer, prefix, bound - prefix);
                case NONE -> 0;
            };
            int stored = prefix + written;
            return stored <= n - n / 8 ? stored : -1;
        }

        byte[] buffer() {
            return buffer;
        }

        byte type() {
            return BlockCodec.type(compression);
        }

        private static int zstdCompress(byte[] src, byte[] dst, int off, int len) {
            ZstdCompressCtx ctx = ZstdContexts.COMPRESS.poll();
            if (ctx == null) {
                ctx = new ZstdCompressCtx().setLevel(ZSTD_LEVEL);
            }
            try {
                return ctx.compressByteArray(dst, off, len, src, 0, src.length);
            } finally {
                if (!ZstdContexts.COMPRESS.offer(ctx)) {
                    ctx.close();
                }
            }
        }
    }

    /**
     * The uncompressed contents of a verified stored block of {@code type} whose stored bytes
     * are the first {@code length} of {@code raw}.
     */
    static byte[] uncompress(byte type, byte[] raw, int length, String file, BlockHandle handle) {
        int[] pos = {0};
        long n;
        try {
            n = Coding.getVarint64(raw, pos, length);
        } catch (CorruptionException e) {
            throw corrupt(file, handle, type, "bad uncompressed length: " + e.getMessage(), null);
        }
        if (n < 0 || n > MAX_UNCOMPRESSED_LENGTH) {
            throw corrupt(
                    file,
                    handle,
                    type,
                    "uncompressed length " + n + " exceeds the limit of " + MAX_UNCOMPRESSED_LENGTH + " bytes",
                    null);
        }
        // Believe the prefix only as far as the codec's output can expand the stored bytes, so a
        // few damaged bytes cannot make a reader allocate up to the limit.
        long expandable = (length - pos[0]) * (long) maxExpansion(type) + 64;
        if (n > expandable) {
            throw corrupt(
                    file,
                    handle,
                    type,
                    "uncompressed length " + n + " is more than " + (length - pos[0]) + " stored bytes can hold",
                    null);
        }
        byte[] out = new byte[(int) n];
        int src = pos[0];
        long got;
        try {
            got = switch (type) {
                case BlockTrailer.LZ4 -> Lz4.DECOMPRESSOR.decompress(raw, src, length - src, out, 0, out.length);
                case BlockTrailer.ZSTD -> zstdDecompress(raw, src, length - src, out);
                default -> throw new IllegalArgumentException("not a compressed type: " + type);
            };
        } catch (RuntimeException e) {
            // LZ4Exception, ZstdException, or an index error from a decoder on damaged input.
            throw corrupt(file, handle, type, e.toString(), e);
        }
        if (got != n) {
            throw corrupt(file, handle, type, "decompressed to " + got + " bytes, expected " + n, null);
        }
        return out;
    }

    /**
     * Most output bytes one input byte can give: an LZ4 sequence grows its match by at most 255
     * per byte; a Zstd block (at most 128 KiB of output) needs at least a 3-byte header.
     */
    static int maxExpansion(byte type) {
        return type == BlockTrailer.LZ4 ? 256 : 128 * 1024 / 3 + 1;
    }

    private static long zstdDecompress(byte[] src, int off, int len, byte[] out) {
        ZstdDecompressCtx ctx = ZstdContexts.DECOMPRESS.poll();
        if (ctx == null) {
            ctx = new ZstdDecompressCtx();
        }
        try {
            return ctx.decompressByteArray(out, 0, out.length, src, off, len);
        } finally {
            if (!ZstdContexts.DECOMPRESS.offer(ctx)) {
                ctx.close();
            }
        }
    }

    private static CorruptionException corrupt(
            String file, BlockHandle handle, byte type, String what, Throwable cause) {
        return new CorruptionException(
                file + ": cannot decompress block at offset " + handle.offset() + " (size " + handle.size() + ", "
                        + name(type) + "): " + what,
                cause);
    }

    /** Loaded on first use, so a store that never compresses with LZ4 never loads it. */
    private static final class Lz4 {
        static final LZ4Compressor COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();
        /** The safe decompressor checks every bound against its input and output. */
        static final LZ4SafeDecompressor DECOMPRESSOR =
                LZ4Factory.fastestInstance().safeDecompressor();
    }

    private static final class ZstdContexts {
        static final ArrayBlockingQueue<ZstdCompressCtx> COMPRESS = new ArrayBlockingQueue<>(POOLED_CONTEXTS);
        static final ArrayBlockingQueue<ZstdDecompressCtx> DECOMPRESS = new ArrayBlockingQueue<>(POOLED_CONTEXTS);
    }
}
