package io.strata.bench;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;

/**
 * LMDB under test, the reference for reads: a B+tree in one memory map, one write transaction
 * per put (per batch for a batch), {@code MDB_NOSYNC} unless the workload syncs. lmdbjava reads
 * and writes through direct buffers, so each thread has its own key and value buffers, and each
 * reading thread one read transaction that it renews for every get (the cheap way LMDB reads
 * the newest data). It needs {@code --add-opens java.base/java.nio=ALL-UNNAMED --add-opens
 * java.base/sun.nio.ch=ALL-UNNAMED} (the bench's child JVMs get them).
 */
final class LmdbStore implements BenchStore {
    private final Env<ByteBuffer> env;
    private final Dbi<ByteBuffer> dbi;
    private final ThreadLocal<Buffers> buffers = ThreadLocal.withInitial(Buffers::new);
    private final ThreadLocal<Txn<ByteBuffer>> readTxn;
    // Every read transaction the threads made, closed before the environment; thread-safe queue.
    private final Queue<Txn<ByteBuffer>> readTxns = new ConcurrentLinkedQueue<>();

    /** A thread's direct buffers, grown on demand. */
    private static final class Buffers {
        ByteBuffer key = ByteBuffer.allocateDirect(64);
        ByteBuffer value = ByteBuffer.allocateDirect(256);

        ByteBuffer key(byte[] k) {
            key = fill(key, k);
            return key;
        }

        ByteBuffer value(byte[] v) {
            value = fill(value, v);
            return value;
        }

        private static ByteBuffer fill(ByteBuffer b, byte[] bytes) {
            ByteBuffer target = b.capacity() >= bytes.length ? b : ByteBuffer.allocateDirect(bytes.length * 2);
            target.clear();
            target.put(bytes).flip();
            return target;
        }
    }

    private LmdbStore(Path dir, StoreOptions o) {
        // The map is only reserved address space: size it well above what the run may write
        // (B+tree pages are at most half empty, and copy-on-write needs room for free pages).
        long mapSize = Math.max(1L << 30, o.expectedBytes() * 4);
        EnvFlags[] flags = o.sync()
                ? new EnvFlags[] {EnvFlags.MDB_NOTLS}
                : new EnvFlags[] {EnvFlags.MDB_NOTLS, EnvFlags.MDB_NOSYNC};
        env = Env.create().setMapSize(mapSize).setMaxReaders(256).open(new File(dir.toString()), flags);
        dbi = env.openDbi((String) null, DbiFlags.MDB_CREATE);
        readTxn = ThreadLocal.withInitial(() -> {
            Txn<ByteBuffer> txn = env.txnRead();
            txn.reset();
            readTxns.add(txn);
            return txn;
        });
    }

    static BenchStore open(Path dir, StoreOptions o) {
        return new LmdbStore(dir, o);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    @Override
    public void put(byte[] key, byte[] value) {
        Buffers b = buffers.get();
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            dbi.put(txn, b.key(key), b.value(value));
            txn.commit();
        }
    }

    @Override
    public byte[] get(byte[] key) {
        Txn<ByteBuffer> txn = readTxn.get();
        txn.renew();
        try {
            ByteBuffer v = dbi.get(txn, buffers.get().key(key));
            return v == null ? null : bytes(v);
        } finally {
            txn.reset();
        }
    }

    @Override
    public void delete(byte[] key) {
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            dbi.delete(txn, buffers.get().key(key));
            txn.commit();
        }
    }

    @Override
    public void putBatch(List<byte[]> keys, List<byte[]> values) {
        Buffers b = buffers.get();
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            for (int i = 0; i < keys.size(); i++) {
                dbi.put(txn, b.key(keys.get(i)), b.value(values.get(i)));
            }
            txn.commit();
        }
    }

    @Override
    public StoreCursor cursor() {
        Txn<ByteBuffer> txn = env.txnRead();
        Cursor<ByteBuffer> c = dbi.openCursor(txn);
        return new StoreCursor() {
            private boolean valid;

            @Override
            public void seekToFirst() {
                valid = c.first();
            }

            @Override
            public void seek(byte[] key) {
                valid = c.get(buffers.get().key(key), GetOp.MDB_SET_RANGE);
            }

            @Override
            public boolean valid() {
                return valid;
            }

            @Override
            public byte[] key() {
                return bytes(c.key());
            }

            @Override
            public byte[] value() {
                return bytes(c.val());
            }

            @Override
            public void next() {
                valid = c.next();
            }

            @Override
            public void seekToLast() {
                valid = c.last();
            }

            @Override
            public void prev() {
                valid = c.prev();
            }

            @Override
            public void close() {
                c.close();
                txn.close();
            }
        };
    }

    @Override
    public void flush() {
        env.sync(true);
    }

    @Override
    public void close() {
        for (Txn<ByteBuffer> txn : readTxns) {
            txn.close();
        }
        env.close();
    }
}
