package io.strata.db;

import static io.strata.db.ModelBasedTest.hex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The operations of a metamorphic run and their generator: one sequence, drawn from a seed
 * alone, that every configuration replays. Reads return their results as lines ("key=value"
 * in hex, or the value of a get), so that two runs can be compared line by line.
 */
final class MetamorphicOps {
    private MetamorphicOps() {}

    /** What an operation runs against: the reference model or a store under some options. */
    interface Target {
        void put(byte[] key, byte[] value);

        void delete(byte[] key);

        /** Applies the entries atomically; a null value deletes its key. */
        void write(List<byte[][]> entries);

        /** The value of {@code key} at the snapshot (0 = now), or null. */
        byte[] get(byte[] key, int snapshot);

        /** The entries of [lower, upper) from {@code seek} on (null = from the start), at the snapshot (0 = now). */
        List<String> scan(byte[] lower, byte[] upper, byte[] seek, int snapshot);

        /**
         * A cursor over [lower, upper) at the snapshot, put at {@code start}, then moved by each
         * of {@code moves} ('n' next, 'p' prev): the entry at each position, up to the first
         * position that is not valid ("end").
         */
        List<String> walk(byte[] lower, byte[] upper, Start start, byte[] from, String moves, int snapshot);

        void takeSnapshot(int id);

        void releaseSnapshot(int id);

        void flush();

        void compactRange(byte[] begin, byte[] end);

        /** Releases every snapshot, then closes and reopens the store where the configuration reopens. */
        void reopen();
    }

    /** One operation; a read returns its result lines, a write null. */
    interface Op {
        List<String> run(Target t);
    }

    record Put(byte[] key, byte[] value) implements Op {
        @Override
        public List<String> run(Target t) {
            t.put(key, value);
            return null;
        }

        @Override
        public String toString() {
            return "put " + hex(key) + " (" + value.length + " bytes)";
        }
    }

    record Delete(byte[] key) implements Op {
        @Override
        public List<String> run(Target t) {
            t.delete(key);
            return null;
        }

        @Override
        public String toString() {
            return "delete " + hex(key);
        }
    }

    record Batch(List<byte[][]> entries) implements Op {
        @Override
        public List<String> run(Target t) {
            t.write(entries);
            return null;
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("batch of " + entries.size() + ":");
            for (byte[][] e : entries) {
                s.append(e[1] == null ? " del " : " put ").append(hex(e[0]));
            }
            return s.toString();
        }
    }

    record Get(byte[] key, int snapshot) implements Op {
        @Override
        public List<String> run(Target t) {
            byte[] v = t.get(key, snapshot);
            return List.of(v == null ? "absent" : hex(v));
        }

        @Override
        public String toString() {
            return "get " + hex(key) + atSnapshot(snapshot);
        }
    }

    record Scan(byte[] lower, byte[] upper, byte[] seek, int snapshot) implements Op {
        @Override
        public List<String> run(Target t) {
            return t.scan(lower, upper, seek, snapshot);
        }

        @Override
        public String toString() {
            return "scan [" + hex(lower) + ", " + hex(upper) + ")" + (seek == null ? "" : " from " + hex(seek))
                    + atSnapshot(snapshot);
        }
    }

    /** Where a walk starts: the first key, the last, the first at or after a key, the last at or before it. */
    enum Start {
        FIRST,
        LAST,
        SEEK,
        SEEK_FOR_PREV
    }

    record Walk(byte[] lower, byte[] upper, Start start, byte[] from, String moves, int snapshot) implements Op {
        @Override
        public List<String> run(Target t) {
            return t.walk(lower, upper, start, from, moves, snapshot);
        }

        @Override
        public String toString() {
            return "walk [" + hex(lower) + ", " + hex(upper) + ") from " + start + (from == null ? "" : " " + hex(from))
                    + " moving " + (moves.length() > 60 ? moves.substring(0, 60) + "..." : moves)
                    + atSnapshot(snapshot);
        }
    }

    record TakeSnapshot(int id) implements Op {
        @Override
        public List<String> run(Target t) {
            t.takeSnapshot(id);
            return null;
        }
    }

    record ReleaseSnapshot(int id) implements Op {
        @Override
        public List<String> run(Target t) {
            t.releaseSnapshot(id);
            return null;
        }
    }

    record Flush() implements Op {
        @Override
        public List<String> run(Target t) {
            t.flush();
            return null;
        }
    }

    record CompactRange(byte[] begin, byte[] end) implements Op {
        @Override
        public List<String> run(Target t) {
            t.compactRange(begin, end);
            return null;
        }

        @Override
        public String toString() {
            return "compactRange [" + hex(begin) + ", " + hex(end) + "]";
        }
    }

    record Reopen() implements Op {
        @Override
        public List<String> run(Target t) {
            t.reopen();
            return null;
        }
    }

    private static String atSnapshot(int snapshot) {
        return snapshot == 0 ? "" : " at snapshot " + snapshot;
    }

    /**
     * {@code count} operations over a key space of 100–400 keys: a third writes (puts, deletes,
     * batches that may touch a key twice), most of the rest reads (gets, bounded scans, some from
     * a seek, and cursor walks both ways from either end or a key), now or at one of up to four
     * live snapshots; about one in a hundred a flush, one in two hundred a compaction of a random
     * range, one in three hundred a reopen.
     */
    static List<Op> generate(long seed, int count) {
        Random rnd = new Random(seed);
        List<byte[]> keys = ModelBasedTest.keySpace(rnd, 100 + rnd.nextInt(300));
        List<Integer> live = new ArrayList<>();
        int nextSnapshot = 1;
        List<Op> ops = new ArrayList<>(count);
        while (ops.size() < count) {
            int r = rnd.nextInt(1000);
            if (r < 200) {
                ops.add(new Put(key(rnd, keys), ModelBasedTest.randomValue(rnd)));
            } else if (r < 280) {
                ops.add(new Delete(key(rnd, keys)));
            } else if (r < 350) {
                ops.add(new Batch(batch(rnd, keys)));
            } else if (r < 650) {
                ops.add(new Get(key(rnd, keys), snapshot(rnd, live)));
            } else if (r < 800) {
                byte[] lower = rnd.nextInt(3) == 0 ? null : key(rnd, keys);
                byte[] upper = rnd.nextInt(3) == 0 ? null : key(rnd, keys);
                byte[] seek = rnd.nextBoolean() ? null : key(rnd, keys);
                ops.add(new Scan(lower, upper, seek, snapshot(rnd, live)));
            } else if (r < 900) {
                byte[] lower = rnd.nextInt(3) == 0 ? null : key(rnd, keys);
                byte[] upper = rnd.nextInt(3) == 0 ? null : key(rnd, keys);
                Start start = Start.values()[rnd.nextInt(Start.values().length)];
                byte[] from = start == Start.SEEK || start == Start.SEEK_FOR_PREV ? key(rnd, keys) : null;
                ops.add(new Walk(lower, upper, start, from, moves(rnd), snapshot(rnd, live)));
            } else if (r < 940) {
                if (live.size() < 4) {
                    live.add(nextSnapshot);
                    ops.add(new TakeSnapshot(nextSnapshot++));
                }
            } else if (r < 980) {
                if (!live.isEmpty()) {
                    ops.add(new ReleaseSnapshot(live.remove(rnd.nextInt(live.size()))));
                }
            } else if (r < 990) {
                ops.add(new Flush());
            } else if (r < 995) {
                byte[] begin = rnd.nextInt(4) == 0 ? null : key(rnd, keys);
                byte[] end = rnd.nextInt(4) == 0 ? null : key(rnd, keys);
                if (begin != null && end != null && Arrays.compareUnsigned(begin, end) > 0) {
                    byte[] t = begin;
                    begin = end;
                    end = t;
                }
                ops.add(new CompactRange(begin, end));
            } else if (r < 998) {
                live.clear();
                ops.add(new Reopen());
            }
        }
        return ops;
    }

    /** A key of the key space, or one in twenty times random bytes (most likely never written). */
    private static byte[] key(Random rnd, List<byte[]> keys) {
        if (rnd.nextInt(20) == 0) {
            byte[] k = new byte[1 + rnd.nextInt(7)];
            rnd.nextBytes(k);
            return k;
        }
        return keys.get(rnd.nextInt(keys.size()));
    }

    /** Runs of nexts and prevs, changing direction often; one in five a whole backward scan. */
    private static String moves(Random rnd) {
        if (rnd.nextInt(5) == 0) {
            return "p".repeat(1000);
        }
        StringBuilder b = new StringBuilder();
        char c = rnd.nextBoolean() ? 'n' : 'p';
        for (int n = 1 + rnd.nextInt(40); n > 0; n--) {
            if (rnd.nextInt(4) == 0) {
                c = c == 'n' ? 'p' : 'n';
            }
            b.append(c);
        }
        return b.toString();
    }

    private static List<byte[][]> batch(Random rnd, List<byte[]> keys) {
        List<byte[][]> entries = new ArrayList<>();
        int n = 1 + rnd.nextInt(12);
        for (int i = 0; i < n; i++) {
            // Sometimes the same key again: the later entry must win.
            byte[] k = i > 0 && rnd.nextInt(5) == 0 ? entries.get(i - 1)[0] : key(rnd, keys);
            entries.add(new byte[][] {k, rnd.nextInt(3) == 0 ? null : ModelBasedTest.randomValue(rnd)});
        }
        return entries;
    }

    /** 0 (read now) half the time, else one of the live snapshots, if any. */
    private static int snapshot(Random rnd, List<Integer> live) {
        return live.isEmpty() || rnd.nextBoolean() ? 0 : live.get(rnd.nextInt(live.size()));
    }
}
