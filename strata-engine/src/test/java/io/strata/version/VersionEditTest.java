package io.strata.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.CorruptionException;
import io.strata.key.InternalKey;
import io.strata.key.ValueType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class VersionEditTest {
    private static byte[] ikey(String k, long seq) {
        return InternalKey.encode(k.getBytes(StandardCharsets.UTF_8), seq, ValueType.VALUE);
    }

    @Test
    void roundTripsEveryField() {
        VersionEdit e = new VersionEdit()
                .logNumber(7)
                .nextFileNumber(42)
                .lastSequence(1_000_000_000_000L)
                .addFile(0, new FileMetaData(12, 4096, ikey("a", 5), ikey("z", 9)))
                .addFile(3, new FileMetaData(13, 1 << 30, ikey("b", 1), ikey("c", 2)))
                .deleteFile(1, 11);
        VersionEdit d = VersionEdit.decode(e.encode(), "test");
        assertThat(d.logNumber()).isEqualTo(7);
        assertThat(d.nextFileNumber()).isEqualTo(42);
        assertThat(d.lastSequence()).isEqualTo(1_000_000_000_000L);
        assertThat(d.deletedFiles()).containsExactly(new VersionEdit.DeletedFile(1, 11));
        assertThat(d.newFiles()).hasSize(2);
        FileMetaData f = d.newFiles().get(1).file();
        assertThat(d.newFiles().get(1).level()).isEqualTo(3);
        assertThat(f.number()).isEqualTo(13);
        assertThat(f.fileSize()).isEqualTo(1 << 30);
        assertThat(f.smallest()).isEqualTo(ikey("b", 1));
        assertThat(f.largest()).isEqualTo(ikey("c", 2));
    }

    @Test
    void unsetFieldsStayUnset() {
        VersionEdit d = VersionEdit.decode(new VersionEdit().encode(), "test");
        assertThat(d.logNumber()).isEqualTo(-1);
        assertThat(d.nextFileNumber()).isEqualTo(-1);
        assertThat(d.lastSequence()).isEqualTo(-1);
    }

    @Test
    void everyTruncationOrUnknownTagIsCorruptionNamingTheSource() {
        byte[] enc = new VersionEdit()
                .logNumber(3)
                .addFile(0, new FileMetaData(12, 4096, ikey("a", 5), ikey("z", 9)))
                .encode();
        for (int len = 1; len < enc.length; len++) {
            byte[] cut = Arrays.copyOf(enc, len);
            try {
                VersionEdit.decode(cut, "MANIFEST-000002 at offset 0");
            } catch (CorruptionException e) {
                assertThat(e).hasMessageContaining("MANIFEST-000002");
            }
        }
        assertThatThrownBy(() -> VersionEdit.decode(new byte[] {99, 1}, "M"))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining("unknown tag 99");
        assertThatThrownBy(() -> VersionEdit.decode(new byte[] {5, 9, 1, 1, 1, 1}, "M"))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining("level 9");
    }

    @Test
    void theMarkerRoundTripsAsTagSixWithItsLength() {
        byte[] marker = {0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 9};
        byte[] enc = new VersionEdit().lastSequence(8).marker(marker).encode();
        assertThat(enc).containsExactly(3, 8, 6, 16, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 9);
        assertThat(VersionEdit.decode(enc, "test").marker()).containsExactly(marker);
        assertThat(VersionEdit.decode(new VersionEdit().marker(new byte[0]).encode(), "test")
                        .marker())
                .as("an empty marker is a marker")
                .isEmpty();
        assertThat(VersionEdit.decode(new VersionEdit().encode(), "test").marker())
                .isNull();
    }

    @Test
    void aMarkerLongerThanTheLimitIsCorruption() {
        byte[] rec = new byte[2 + 65];
        rec[0] = 6;
        rec[1] = 65;
        assertThatThrownBy(() -> VersionEdit.decode(rec, "M"))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining("bad marker length 65");
        assertThatThrownBy(() -> VersionEdit.decode(new byte[] {6, 4, 1, 2}, "M"))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining("bad marker length 4");
        assertThatThrownBy(() -> new VersionEdit().marker(new byte[65])).isInstanceOf(IllegalArgumentException.class);
    }
}
