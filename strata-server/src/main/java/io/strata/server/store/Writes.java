package io.strata.server.store;

import io.strata.WriteBatch;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The engine writes of one command, after the write filters: each key's encoded value, or its
 * deletion. A blind write (SET without NX, XX, GET or KEEPTTL; SETEX; PSETEX; MSET) is parsed
 * into one of these once, by its command; the command then stores it ({@link Keyspace#write}),
 * or the connection's write batcher gathers it with others ({@link #addTo}).
 *
 * <p>Confined to the command thread that builds it.
 */
public final class Writes {
    /** What a write adds to a batch's size estimate beyond its key and value. */
    static final int ENTRY_OVERHEAD = 16;

    private final Keyspace ks;
    private final List<byte[]> keys = new ArrayList<>(2);
    /** The encoded value of each of {@link #keys}, or null to delete it. */
    private final List<byte[]> values = new ArrayList<>(2);

    private long bytes;

    Writes(Keyspace ks) {
        this.ks = ks;
    }

    /**
     * Stores {@code payload} under {@code key}, expiring at {@code expireAt} (epoch ms; 0 for
     * never), as the write filters let it: they may store another value, or refuse the write with
     * {@link io.strata.server.filter.WriteRejectedException} (then nothing of the command is
     * stored). An expiry that has already passed deletes the key instead, without the filters: as
     * in Redis, such a write leaves the key absent.
     */
    public Writes put(byte[] key, byte[] payload, long expireAt) {
        if (ValueCodec.expired(expireAt, ks.now())) {
            return delete(key);
        }
        return add(key, ks.encode(key, payload, expireAt), expireAt);
    }

    public Writes delete(byte[] key) {
        return add(key, null, 0);
    }

    /** A write already encoded (a transaction's, {@link OverlayStore#addTo}): its engine value, or null to delete. */
    void addEncoded(byte[] key, byte[] value) {
        add(key, value, value == null ? 0 : ValueCodec.expireAt(value));
    }

    private Writes add(byte[] key, byte[] value, long expireAt) {
        ks.expiries().note(key, expireAt);
        keys.add(key);
        values.add(value);
        bytes += key.length + (value == null ? 0 : value.length) + ENTRY_OVERHEAD;
        return this;
    }

    /** The keys written, in order (one may come twice: its last write wins). */
    public List<byte[]> keys() {
        return Collections.unmodifiableList(keys);
    }

    public int count() {
        return keys.size();
    }

    /** An estimate of what the writes add to a write batch: keys, values and a few bytes each. */
    public long bytes() {
        return bytes;
    }

    /** Appends the writes to {@code batch}, in order. */
    public void addTo(WriteBatch batch) {
        forEach(batch::put, batch::delete);
    }

    /** Passes each write, in order, to {@code put} (its key and engine value) or to {@code delete}. */
    void forEach(BiConsumer<byte[], byte[]> put, Consumer<byte[]> delete) {
        for (int i = 0; i < keys.size(); i++) {
            byte[] value = values.get(i);
            if (value == null) {
                delete.accept(keys.get(i));
            } else {
                put.accept(keys.get(i), value);
            }
        }
    }
}
