package io.strata;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WriteBatchTest {
    private static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    private static byte[] encoding(WriteBatch batch) {
        byte[] out = new byte[batch.encodedSize()];
        batch.encodeInto(out, 0, 7);
        return out;
    }

    @Test
    void appendGivesTheEncodingOfOneBatchHoldingBoth() {
        WriteBatch first = new WriteBatch().put(b("a"), b("1")).delete(b("b"));
        WriteBatch second = new WriteBatch().put(b("c"), b("333")).put(b("a"), b("4"));
        WriteBatch whole = new WriteBatch()
                .put(b("a"), b("1"))
                .delete(b("b"))
                .put(b("c"), b("333"))
                .put(b("a"), b("4"));

        first.append(second);

        assertThat(first.count()).isEqualTo(4);
        assertThat(encoding(first)).isEqualTo(encoding(whole));
        assertThat(second.count()).isEqualTo(2);
        byte[] enc = encoding(first);
        assertThat(encoding(WriteBatch.decode(enc, 0, enc.length))).isEqualTo(enc);
    }

    @Test
    void appendOfAnEmptyBatchChangesNothing() {
        WriteBatch batch = new WriteBatch().put(b("k"), b("v"));
        byte[] before = encoding(batch);
        batch.append(new WriteBatch());
        assertThat(encoding(batch)).isEqualTo(before);
    }

    @Test
    void appendRefusesABatchWithAMarkerAndLeavesThisOneAsItWas() {
        WriteBatch batch = new WriteBatch().put(b("k"), b("v"));
        byte[] before = encoding(batch);
        WriteBatch marked = new WriteBatch().put(b("x"), b("y")).marker(new byte[] {1});

        assertThatThrownBy(() -> batch.append(marked))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("marker");
        assertThat(encoding(batch)).isEqualTo(before);
    }

    @Test
    void appendPastTheBatchLimitIsRefusedAndLeavesThisOneAsItWas() {
        byte[] big = new byte[Limits.MAX_BATCH_SIZE / 4];
        WriteBatch batch = new WriteBatch().put(b("a"), big).put(b("b"), big);
        WriteBatch other = new WriteBatch().put(b("c"), big).put(b("d"), big);
        byte[] before = encoding(batch);

        assertThatThrownBy(() -> batch.append(other))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit");
        assertThat(batch.count()).isEqualTo(2);
        assertThat(encoding(batch)).isEqualTo(before);
    }
}
