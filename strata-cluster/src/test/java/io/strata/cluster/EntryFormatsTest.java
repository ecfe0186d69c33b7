package io.strata.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.WriteBatch;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The byte formats of what travels through Raft and what the engine keeps: byte by byte, and their refusals. */
class EntryFormatsTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void writeEntryRoundTripsAndIsLaidOutAsDocumented() {
        WriteBatch batch = new WriteBatch().put(b("k"), b("v")).delete(b("gone"));
        byte[] data = WriteEntry.batch(7, 0x0102030405060708L, batch).encode();
        assertThat(HexFormat.of().formatHex(data, 0, WriteEntry.HEADER))
                .isEqualTo("01" + "01" + "0000000000000007" + "0102030405060708");
        // the batch encoding follows, its sequence 0 and count 2
        assertThat(HexFormat.of().formatHex(data, WriteEntry.HEADER, WriteEntry.HEADER + 12))
                .isEqualTo("0000000000000000" + "02000000");
        WriteEntry back = WriteEntry.decode(ByteBuffer.wrap(data));
        assertThat(back.evaluationTerm()).isEqualTo(7);
        assertThat(back.leaderTimeMillis()).isEqualTo(0x0102030405060708L);
        assertThat(back.batch().count()).isEqualTo(2);
        assertThat(back.batch().encodedSize()).isEqualTo(batch.encodedSize());
    }

    @Test
    void publishQueryRoundTripsIsLaidOutAsDocumentedAndIsToldApartFromANodeQuery() {
        byte[] data = new PublishQuery(java.util.List.of(new byte[][] {b("c"), b("hi")}, new byte[][] {b(""), b("")}))
                .encode();
        assertThat(HexFormat.of().formatHex(data))
                .isEqualTo(
                        "02" + "04" + "00000002" + "00000001" + "63" + "00000002" + "6869" + "00000000" + "00000000");
        ByteBuffer in = ByteBuffer.wrap(data);
        assertThat(PublishQuery.is(in)).isTrue();
        PublishQuery back = PublishQuery.decode(in);
        assertThat(back.messages()).hasSize(2);
        assertThat(back.messages().get(0)[0]).isEqualTo(b("c"));
        assertThat(back.messages().get(0)[1]).isEqualTo(b("hi"));
        assertThat(PublishQuery.is(ByteBuffer.wrap(NodeQuery.BARRIER.encode()))).isFalse();
        data[9] = 100; // the first channel's length now runs past the end
        assertThatThrownBy(() -> PublishQuery.decode(ByteBuffer.wrap(data)))
                .hasMessageContaining("publish query part of 100 bytes")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void clearEntryIsItsHeaderAlone() {
        byte[] data = WriteEntry.clear(3, 5).encode();
        assertThat(HexFormat.of().formatHex(data)).isEqualTo("01" + "02" + "0000000000000003" + "0000000000000005");
        WriteEntry back = WriteEntry.decode(ByteBuffer.wrap(data));
        assertThat(back.clearsAll()).isTrue();
        assertThat(back.evaluationTerm()).isEqualTo(3);
    }

    @Test
    void writeEntryOfAnotherVersionOrKindIsRefusedWithWhatToDo() {
        byte[] data =
                WriteEntry.batch(1, 1, new WriteBatch().put(b("k"), b("v"))).encode();
        data[0] = 2;
        assertThatThrownBy(() -> WriteEntry.decode(ByteBuffer.wrap(data)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("format 2")
                .hasMessageContaining("upgrade this node");
        assertThatThrownBy(() -> WriteEntry.decode(ByteBuffer.wrap(new byte[5])))
                .hasMessageContaining("too short");
    }

    @Test
    void aCorruptBatchInsideAnEntryIsRefused() {
        byte[] data = WriteEntry.batch(1, 1, new WriteBatch().put(b("key"), b("value")))
                .encode();
        data[data.length - 6] = 100; // the value's length now runs past the end
        assertThatThrownBy(() -> WriteEntry.decode(ByteBuffer.wrap(data)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad length");
    }

    @Test
    void nodeQueryRoundTrips() {
        byte[][] argv = {b("SET"), b("k"), new byte[0], b("v")};
        byte[] data = new NodeQuery(argv, 3, "alice").encode();
        assertThat(HexFormat.of().formatHex(data, 0, 16))
                .isEqualTo("02" + "02" + "03" + "00000005" + "616c696365" + "00000004");
        NodeQuery back = NodeQuery.decode(ByteBuffer.wrap(data));
        assertThat(back.protocol()).isEqualTo(3);
        assertThat(back.user()).isEqualTo("alice");
        assertThat(back.argv()).isDeepEqualTo(argv);
        assertThat(NodeQuery.decode(ByteBuffer.wrap(NodeQuery.BARRIER.encode())).barrier())
                .isTrue();
        byte[] truncated = java.util.Arrays.copyOf(data, data.length - 1);
        assertThatThrownBy(() -> NodeQuery.decode(ByteBuffer.wrap(truncated)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void appliedPositionIsSeventeenBytesInLogOrder() {
        AppliedPosition p = new AppliedPosition(2, 9);
        assertThat(HexFormat.of().formatHex(p.toMarker())).isEqualTo("01" + "0000000000000002" + "0000000000000009");
        assertThat(AppliedPosition.fromMarker(p.toMarker())).isEqualTo(p);
        assertThat(AppliedPosition.fromMarker(null)).isEqualTo(AppliedPosition.NONE);
        // Unsigned byte order of markers is the log's order (the engine refuses a decreasing one).
        assertThat(java.util.Arrays.compareUnsigned(
                        new AppliedPosition(2, 255).toMarker(), new AppliedPosition(2, 256).toMarker()))
                .isNegative();
        assertThatThrownBy(() -> AppliedPosition.fromMarker(new byte[] {9, 9}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not written by a Strata cluster node");
    }

    @Test
    void peersAreParsedAndBadListsNamed() {
        assertThat(Peers.parse("n1=127.0.0.1:9871,n2=127.0.0.1:9872")).hasSize(2);
        assertThatThrownBy(() -> Peers.parse("n1=127.0.0.1:9871,n1=127.0.0.1:9872"))
                .hasMessageContaining("node id n1 appears twice");
        assertThatThrownBy(() -> Peers.parse("n1=127.0.0.1:9871,n2=127.0.0.1:9871"))
                .hasMessageContaining("address 127.0.0.1:9871 appears twice");
        assertThatThrownBy(() -> Peers.parse("n1=localhost")).hasMessageContaining("is not host:port");
        assertThatThrownBy(() -> Peers.parse("n1=h:70000")).hasMessageContaining("must be 1..65535");
        assertThatThrownBy(() -> Peers.parse("n 1=h:1")).hasMessageContaining("node id 'n 1'");
        assertThatThrownBy(() -> Peers.parse("n1")).hasMessageContaining("is not id=host:port");
    }
}
