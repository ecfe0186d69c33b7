package io.strata.server.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RespParserTest {
    static final RespParser.Limits LIMITS = new RespParser.Limits() {
        @Override
        public long maxBulkLength() {
            return 64L * 1024 * 1024;
        }

        @Override
        public long maxArguments() {
            return 1024 * 1024;
        }

        @Override
        public long maxRequestBytes() {
            return 1L << 30;
        }
    };

    static List<String> strings(byte[][] argv) {
        return Arrays.stream(argv)
                .map(a -> new String(a, StandardCharsets.UTF_8))
                .toList();
    }

    static ByteBuf buf(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    @Test
    void parsesMultibulkAndInline() throws Exception {
        RespParser p = new RespParser(LIMITS);
        ByteBuf in = buf("*2\r\n$3\r\nGET\r\n$1\r\nk\r\nSET a \"b c\" 'd'\r\n*0\r\n\r\n*1\r\n$0\r\n\r\n");
        assertThat(strings(p.next(in, true))).containsExactly("GET", "k");
        assertThat(strings(p.next(in, true))).containsExactly("SET", "a", "b c", "d");
        assertThat(strings(p.next(in, true))).containsExactly("");
        assertThat(p.next(in, true)).isNull();
        assertThat(in.isReadable()).isFalse();
    }

    @Test
    void anyByteByByteSplitGivesTheSameRequests() throws Exception {
        String stream = """
                        *3
                        $3
                        SET
                        $3
                        key
                        $5
                        va
                        l
                        PING
                        *1
                        $4
                        PING
                        ECHO "\\x41\\n"
                        """;
        List<List<String>> expected =
                List.of(List.of("SET", "key", "va\r\nl"), List.of("PING"), List.of("PING"), List.of("ECHO", "A\n"));
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            RespParser p = new RespParser(LIMITS);
            ByteBuf cum = Unpooled.buffer();
            List<List<String>> got = new ArrayList<>();
            byte[] bytes = stream.getBytes(StandardCharsets.ISO_8859_1);
            int pos = 0;
            while (pos < bytes.length) {
                int n = round == 0 ? 1 : 1 + random.nextInt(8);
                n = Math.min(n, bytes.length - pos);
                cum.writeBytes(bytes, pos, n);
                pos += n;
                byte[][] argv;
                while ((argv = p.next(cum, true)) != null) {
                    got.add(strings(argv));
                }
                cum.discardReadBytes();
            }
            assertThat(got).isEqualTo(expected);
        }
    }

    @Test
    void limitsAreCheckedAtTheHeader() throws Exception {
        RespParser p = new RespParser(LIMITS);
        assertThatThrownBy(() -> p.next(buf("*1\r\n$2147483647\r\n"), true)).hasMessage("invalid bulk length");
        assertThatThrownBy(() -> new RespParser(LIMITS).next(buf("*2147483648\r\n"), true))
                .hasMessage("invalid multibulk length");
        assertThatThrownBy(() -> new RespParser(LIMITS).next(buf("*1048577\r\n"), true))
                .hasMessage("invalid multibulk length");
        // 19 digits that overflow a long: rejected, not wrapped to a negative (empty) count
        assertThatThrownBy(() -> new RespParser(LIMITS).next(buf("*9999999999999999999\r\n*1\r\n$4\r\nPING\r\n"), true))
                .hasMessage("invalid multibulk length");
        assertThatThrownBy(() -> new RespParser(LIMITS).next(buf("*-9999999999999999999\r\n"), true))
                .hasMessage("invalid multibulk length");
        assertThatThrownBy(() -> new RespParser(LIMITS).next(buf("*11\r\n"), false))
                .hasMessage("unauthenticated multibulk length");
        assertThatThrownBy(() -> new RespParser(LIMITS).next(buf("*1\r\n$16385\r\n"), false))
                .hasMessage("unauthenticated bulk length");
        assertThatThrownBy(() -> new RespParser(LIMITS).next(buf("*1\r\n$01\r\n"), true))
                .hasMessage("invalid bulk length");
        assertThat(new RespParser(LIMITS).next(buf("*1\r"), true)).isNull(); // header not complete yet
    }

    @Test
    void aLargeAnnouncedArrayDoesNotPreallocate() throws Exception {
        RespParser p = new RespParser(LIMITS);
        // a million arguments announced, none sent: the parser just waits
        assertThat(p.next(buf("*1000000\r\n"), true)).isNull();
    }

    @Test
    void randomGarbageNeverEscapesAsAnythingButAProtocolError() {
        Random random = new Random(42);
        for (int i = 0; i < 2000; i++) {
            byte[] junk = new byte[random.nextInt(200)];
            random.nextBytes(junk);
            if (random.nextBoolean() && junk.length > 0) {
                junk[0] = (byte) (random.nextBoolean() ? '*' : '$');
            }
            RespParser p = new RespParser(LIMITS);
            ByteBuf in = Unpooled.wrappedBuffer(junk);
            try {
                while (p.next(in, random.nextBoolean()) != null) {
                    // keep parsing
                }
            } catch (ProtocolException expected) {
                // fine
            }
        }
    }
}
