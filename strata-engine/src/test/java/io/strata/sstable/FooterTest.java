package io.strata.sstable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.CorruptionException;
import io.strata.util.Checksums;
import io.strata.util.Coding;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FooterTest {
    private static final String NAME = "000012.sst";

    @Test
    void footerRoundTrips() {
        Footer f = new Footer(new BlockHandle(4000, 1251), new BlockHandle(5256, 300));
        byte[] enc = f.encode();
        assertThat(enc).hasSize(Footer.LENGTH);
        assertThat(Arrays.copyOfRange(enc, 40, 48)).asString().isEqualTo("STRATA01");
        assertThat(Footer.decode(enc, 5256 + 300 + BlockTrailer.LENGTH, NAME)).isEqualTo(f);
    }

    @Test
    void everyFlippedFooterByteIsDetected() {
        byte[] enc = new Footer(new BlockHandle(4000, 1251), new BlockHandle(5256, 300)).encode();
        for (int i = 0; i < enc.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = enc.clone();
                bad[i] ^= (byte) (1 << bit);
                assertThatThrownBy(() -> Footer.decode(bad, 1L << 40, NAME))
                        .as("byte %d bit %d", i, bit)
                        .isInstanceOf(CorruptionException.class)
                        .hasMessageContaining(NAME);
            }
        }
        assertThatThrownBy(() -> Footer.decode(Arrays.copyOf(enc, 47), 1L << 40, NAME))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining(NAME);
    }

    @Test
    void handlesOutsideTheDataAreRejected() {
        long dataEnd = 10_000;
        BlockHandle ok = new BlockHandle(0, 10);
        BlockHandle[] bad = {
            new BlockHandle(dataEnd - 10, 10), // trailer past the end
            new BlockHandle(0, dataEnd), // no room for the trailer
            new BlockHandle(dataEnd, 0),
            new BlockHandle(-1, 10),
            new BlockHandle(0, -1),
            new BlockHandle(Long.MAX_VALUE, 10),
            new BlockHandle(10, Long.MAX_VALUE),
            new BlockHandle(Long.MIN_VALUE, 0),
        };
        assertThat(Footer.decode(new Footer(new BlockHandle(dataEnd - 15, 10), ok).encode(), dataEnd, NAME))
                .isNotNull();
        for (BlockHandle h : bad) {
            assertThatThrownBy(() -> Footer.decode(new Footer(h, ok).encode(), dataEnd, NAME))
                    .as("filter %s", h)
                    .isInstanceOf(CorruptionException.class)
                    .hasMessageContaining(NAME)
                    .hasMessageContaining("out of range");
            assertThatThrownBy(() -> Footer.decode(new Footer(ok, h).encode(), dataEnd, NAME))
                    .as("index %s", h)
                    .isInstanceOf(CorruptionException.class)
                    .hasMessageContaining(NAME)
                    .hasMessageContaining("out of range");
        }
    }

    @Test
    void unknownVersionIsRejected() {
        byte[] enc = new Footer(new BlockHandle(0, 10), new BlockHandle(15, 10)).encode();
        Coding.putFixed32(enc, 32, 2);
        Coding.putFixed32(enc, 36, Checksums.crc32c(enc, 0, 36));
        assertThatThrownBy(() -> Footer.decode(enc, 1000, NAME))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining(NAME)
                .hasMessageContaining("version 2");
    }

    @Test
    void blockHandleRoundTrips() {
        for (long v : new long[] {0, 1, 127, 128, 300, 1L << 31, 1L << 40, Long.MAX_VALUE}) {
            BlockHandle h = new BlockHandle(v, v / 3);
            byte[] enc = h.encode();
            assertThat(enc.length).isLessThanOrEqualTo(BlockHandle.MAX_ENCODED_LENGTH);
            assertThat(BlockHandle.decode(enc, "x")).isEqualTo(h);
        }
    }

    @Test
    void malformedBlockHandleIsCorruptionNamingWhere() {
        byte[] enc = new BlockHandle(300, 70000).encode();
        String where = NAME + " index";
        for (int len = 0; len < enc.length; len++) {
            byte[] cut = Arrays.copyOf(enc, len);
            assertThatThrownBy(() -> BlockHandle.decode(cut, where))
                    .as("cut to %d", len)
                    .isInstanceOf(CorruptionException.class)
                    .hasMessageContaining(where);
        }
        byte[] trailing = Arrays.copyOf(enc, enc.length + 1);
        assertThatThrownBy(() -> BlockHandle.decode(trailing, where))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining(where);
        byte[] negative = new BlockHandle(-1, 5).encode();
        assertThatThrownBy(() -> BlockHandle.decode(negative, where))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining(where);
        byte[] overlong = new byte[12];
        Arrays.fill(overlong, (byte) 0xff);
        assertThatThrownBy(() -> BlockHandle.decode(overlong, where))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining(where);
    }
}
