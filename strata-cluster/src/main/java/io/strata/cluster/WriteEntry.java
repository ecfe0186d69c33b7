package io.strata.cluster;

import io.strata.WriteBatch;
import java.nio.ByteBuffer;

/**
 * One replicated write: the engine writes a command produced on the leader (encoded values with
 * absolute expiry times, after the write filters), so every node applies exactly the same bytes
 * and none reads its own clock or runs a filter.
 *
 * <p>Encoding: version u8 (1) | kind u8 (1 = write batch; others reserved) | evaluation term
 * fixed64 BE | leader time fixed64 BE (epoch ms, when the command was evaluated) | the
 * {@link WriteBatch} encoding (its sequence field 0).
 *
 * @param evaluationTerm the term in which the leader read what the command's writes depend on;
 *     the entry applies only if it was appended in that same term (0 for a blind write, which
 *     depends on nothing and applies in any term)
 * @param leaderTimeMillis the leader's clock when it evaluated the command (for diagnosis: no
 *     node needs it to apply the entry)
 */
record WriteEntry(long evaluationTerm, long leaderTimeMillis, WriteBatch batch) {
    static final byte VERSION = 1;
    static final byte KIND_BATCH = 1;
    static final int HEADER = 18;

    byte[] encode() {
        byte[] out = new byte[HEADER + batch.encodedSize()];
        ByteBuffer.wrap(out)
                .put(VERSION)
                .put(KIND_BATCH)
                .putLong(evaluationTerm)
                .putLong(leaderTimeMillis);
        batch.encodeInto(out, HEADER, 0);
        return out;
    }

    /** @throws IllegalArgumentException if {@code data} is not an entry of this version */
    static WriteEntry decode(ByteBuffer data) {
        if (data.remaining() < HEADER) {
            throw new IllegalArgumentException("replicated entry of " + data.remaining() + " bytes is too short");
        }
        byte version = data.get();
        byte kind = data.get();
        if (version != VERSION || kind != KIND_BATCH) {
            throw new IllegalArgumentException("replicated entry of format " + version + " kind " + kind
                    + " is not one this node can apply (format " + VERSION + "): upgrade this node");
        }
        long term = data.getLong();
        long time = data.getLong();
        byte[] rest = new byte[data.remaining()];
        data.get(rest);
        return new WriteEntry(term, time, WriteBatch.decode(rest, 0, rest.length));
    }
}
