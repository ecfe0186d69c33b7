package io.strata.db;

import io.strata.Options;
import io.strata.StrataDb;
import io.strata.WriteBatch;
import io.strata.WriteOptions;
import io.strata.fs.FaultInjectionFileSystem;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The child process of {@link CrashRecoveryTest}: opens the store in a directory and applies
 * the deterministic write sequence ({@link #write(long)}) from a given index on, forever,
 * until it is killed. It prints {@code opening} before the open, {@code open} after it, and
 * {@code ack <i>} after write {@code i} has returned, so the parent knows which writes were
 * acknowledged.
 *
 * <p>Write {@code i} is a pure function of {@code i}: a put, a delete of a key that was
 * probably written before, or a batch mixing both, so the parent can compute the state after
 * any prefix of the sequence.
 *
 * <p>Usage: {@code CrashWriter <dir> <first index> <sync: true|false> <write buffer bytes>
 * <flush delay ms> [<level-0 compaction trigger> <target file bytes> <level-1 bytes>
 * <level multiplier>]}; a flush delay above 0 sleeps before every table fsync, so that
 * memtables queue for flush and kills land with several waiting. Small compaction settings
 * make compactions run all the time, down several levels, so kills land in them too. Every
 * {@link #REPORT_EVERY} writes it prints {@code compactions <n>}, the compactions this open
 * has run so far.
 */
public final class CrashWriter {
    /** Distinct keys: writes overwrite and delete each other often. */
    static final int KEYS = 1500;

    static final int REPORT_EVERY = 100;

    private CrashWriter() {}

    /** One entry of a write: a put, or a delete when {@code value} is null. */
    record Entry(byte[] key, byte[] value) {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long first = Long.parseLong(args[1]);
        boolean sync = Boolean.parseBoolean(args[2]);
        long writeBufferSize = Long.parseLong(args[3]);
        int flushDelayMs = Integer.parseInt(args[4]);
        Options options = new Options().writeBufferSize(writeBufferSize);
        if (args.length > 5) {
            options.level0FileNumCompactionTrigger(Integer.parseInt(args[5]))
                    .targetFileSize(Long.parseLong(args[6]))
                    .maxBytesForLevelBase(Long.parseLong(args[7]))
                    .maxBytesForLevelMultiplier(Integer.parseInt(args[8]));
        }
        if (flushDelayMs > 0) {
            FaultInjectionFileSystem slow = new FaultInjectionFileSystem();
            slow.setFault(FaultInjectionFileSystem.delay(
                    FaultInjectionFileSystem.Op.SYNC, FaultInjectionFileSystem.named(".sst"), flushDelayMs));
            options.fileSystem(slow);
        }
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.US_ASCII);
        warmUp();
        out.println("opening");
        out.flush();
        StrataDb db = StrataDb.open(dir, options);
        out.println("open");
        out.flush();
        WriteOptions wo = new WriteOptions().sync(sync);
        for (long i = first; ; i++) {
            List<Entry> entries = write(i);
            if (entries.size() > 1) {
                WriteBatch batch = new WriteBatch();
                for (Entry e : entries) {
                    if (e.value() == null) {
                        batch.delete(e.key());
                    } else {
                        batch.put(e.key(), e.value());
                    }
                }
                db.write(batch, wo);
            } else if (entries.get(0).value() == null) {
                db.delete(entries.get(0).key(), wo);
            } else {
                db.put(entries.get(0).key(), entries.get(0).value(), wo);
            }
            out.println("ack " + i);
            if ((i - first + 1) % REPORT_EVERY == 0) {
                out.println("compactions " + db.getProperty("strata.compactions"));
            }
            out.flush();
        }
    }

    /**
     * Opens, writes, flushes and closes a throwaway store, so that class loading and logging
     * set-up are done before {@code opening} is printed and the real open is mostly I/O: a
     * kill timed from {@code opening} then lands in recovery.
     */
    private static void warmUp() throws IOException {
        Path dir = Files.createTempDirectory("strata-crash-warmup");
        try {
            try (StrataDb db = StrataDb.open(dir, new Options().writeBufferSize(4096))) {
                for (long i = 0; i < 200; i++) {
                    db.put(key(i), value(i, 0));
                }
                db.write(new WriteBatch().put(key(1), value(1, 1)).delete(key(2)));
                db.flush();
                db.get(key(3));
            }
            StrataDb.open(dir).close();
        } finally {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    /**
     * Write {@code i} of the sequence, its entries in order: one entry is a single put or
     * delete, more are one batch.
     */
    static List<Entry> write(long i) {
        long r = mix(i);
        int kind = (int) Long.remainderUnsigned(r, 10);
        if (kind < 6) {
            return List.of(new Entry(key(r >>> 8), value(i, 0)));
        }
        if (kind < 8) {
            return List.of(new Entry(key(r >>> 8), null));
        }
        List<Entry> entries = new ArrayList<>();
        int n = 2 + (int) Long.remainderUnsigned(r >>> 40, 6);
        for (int m = 0; m < n; m++) {
            long rm = mix(i * 31 + m + 1);
            boolean delete = Long.remainderUnsigned(rm >>> 50, 4) == 0;
            entries.add(new Entry(key(rm), delete ? null : value(i, m)));
        }
        return entries;
    }

    static byte[] key(long r) {
        return String.format("key%05d", Long.remainderUnsigned(r, KEYS)).getBytes(StandardCharsets.US_ASCII);
    }

    /** A value naming the write and entry that made it, padded to a length derived from both. */
    static byte[] value(long i, int m) {
        String head = "v" + i + "." + m + ":";
        int len = head.length() + (int) Long.remainderUnsigned(mix(i ^ ((long) m << 48)) >>> 20, 300);
        StringBuilder sb = new StringBuilder(len).append(head);
        while (sb.length() < len) {
            sb.append((char) ('a' + sb.length() % 26));
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** SplitMix64's finaliser: a well-spread function of {@code x}. */
    static long mix(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
