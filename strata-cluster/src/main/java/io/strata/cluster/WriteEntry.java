package io.strata.cluster;

import io.strata.WriteBatch;
import java.nio.ByteBuffer;

/**
 * One replicated write: the engine writes a command produced on the leader (encoded values with
 * absolute expiry times, after the write filters), so every node applies exactly the same bytes
 * and none reads its own clock or runs a filter.
 *
 * <p>Encoding: version u8 (1) | kind u8 (1 = write batch, 2 = delete every key; others
 * reserved) | evaluation term fixed64 BE | leader time fixed64 BE (epoch ms, when the command was
 * evaluated) | for kind 1, the {@link WriteBatch} encoding (its sequence field 0); nothing more
 * for kind 2.
 *
 * @param kind {@link #KIND_BATCH} or {@link #KIND_CLEAR} (FLUSHDB and FLUSHALL: every node deletes
 *     every key it holds, which is the same set, since all apply the same log)
 * @param evaluationTerm the term in which the leader read what the command's writes depend on;
 *     the entry applies only if it was appended in that same term (0 for a blind write, which
 *     depends on nothing and applies in any term)
 * @param leaderTimeMillis the leader's clock when it evaluated the command (for diagnosis: no
 *     node needs it to apply the entry)
 */
record WriteEntry(byte kind, long evaluationTerm, long leaderTimeMillis, WriteBatch batch) {
    static final byte VERSION = 1;
    static final byte KIND_BATCH = 1;
    static final byte KIND_CLEAR = 2;
    static final int HEADER = 18;

    static WriteEntry batch(long evaluationTerm, long leaderTimeMillis, WriteBatch batch) {
        return new WriteEntry(KIND_BATCH, evaluationTerm, leaderTimeMillis, batch);
    }

    static WriteEntry clear(long evaluationTerm, long leaderTimeMillis) {
        return new WriteEntry(KIND_CLEAR, evaluationTerm, leaderTimeMillis, new WriteBatch());
    }

    boolean clearsAll() {
        return kind == KIND_CLEAR;
    }

    byte[] encode() {
        byte[] out = new byte[HEADER + (kind == KIND_BATCH ? batch.encodedSize() : 0)];
        ByteBuffer.wrap(out).put(VERSION).put(kind).putLong(evaluationTerm).putLong(leaderTimeMillis);
        if (kind == KIND_BATCH) {
            batch.encodeInto(out, HEADER, 0);
        }
        return out;
    }

    /** @throws IllegalArgumentException if {@code data} is not an entry of this version */
    static WriteEntry decode(ByteBuffer data) {
        if (data.remaining() < HEADER) {
            throw new IllegalArgumentException("replicated entry of " + data.remaining() + " bytes is too short");
        }
        byte version = data.get();
        byte kind = data.get();
        if (version != VERSION || (kind != KIND_BATCH && kind != KIND_CLEAR)) {
            throw new IllegalArgumentException("replicated entry of format " + version + " kind " + kind
                    + " is not one this node can apply (format " + VERSION + "): upgrade this node");
        }
        long term = data.getLong();
        long time = data.getLong();
        if (kind == KIND_CLEAR) {
            return clear(term, time);
        }
        byte[] rest = new byte[data.remaining()];
        data.get(rest);
        return batch(term, time, WriteBatch.decode(rest, 0, rest.length));
    }
}
