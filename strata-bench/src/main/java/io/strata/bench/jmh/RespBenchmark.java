package io.strata.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.strata.server.resp.ProtocolException;
import io.strata.server.resp.RespParser;
import io.strata.server.resp.RespWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The server's protocol work for a pipeline of 16 requests: parsing 16 SETs of 16-byte keys and
 * 100-byte values, and encoding 16 bulk replies of 100 bytes (what 16 GETs answer).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RespBenchmark {
    private static final int PIPELINE = 16;

    private ByteBuf requests;
    private RespParser parser;
    private RespWriter writer;
    private final byte[] value = new byte[100];

    @Setup(Level.Trial)
    public void setUp() {
        StringBuilder sb = new StringBuilder();
        String v = "x".repeat(100);
        for (int i = 0; i < PIPELINE; i++) {
            String key = new String(Keys.userKey(i), StandardCharsets.US_ASCII);
            sb.append("*3\r\n$3\r\nSET\r\n$16\r\n")
                    .append(key)
                    .append("\r\n$100\r\n")
                    .append(v)
                    .append("\r\n");
        }
        requests = Unpooled.wrappedBuffer(sb.toString().getBytes(StandardCharsets.US_ASCII));
        parser = new RespParser(new RespParser.Limits() {
            @Override
            public long maxBulkLength() {
                return 64 << 20;
            }

            @Override
            public long maxArguments() {
                return 1 << 20;
            }

            @Override
            public long maxRequestBytes() {
                return 1L << 30;
            }
        });
        writer = new RespWriter(UnpooledByteBufAllocator.DEFAULT, ByteBuf::release);
    }

    @Benchmark
    public int parsePipelineOfSets() throws ProtocolException {
        requests.readerIndex(0);
        int n = 0;
        while (parser.next(requests, true) != null) {
            n++;
        }
        if (n != PIPELINE) {
            throw new IllegalStateException("parsed " + n + " requests of " + PIPELINE);
        }
        return n;
    }

    @Benchmark
    public boolean encodeBulkReplies() {
        for (int i = 0; i < PIPELINE; i++) {
            writer.bulk(value);
        }
        return writer.drain();
    }
}
