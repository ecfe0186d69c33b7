package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Random, truncated and oversized frames: the server stays up for everyone else. */
class GarbageInputTest {
    @TempDir
    Path dir;

    @Test
    void serverSurvivesGarbage() throws Exception {
        Random random = new Random(2024);
        String[] valid = {
            TestServer.RawClient.encode("SET", "k", "v"),
            TestServer.RawClient.encode("GET", "k"),
            TestServer.RawClient.encode("INCR", "n"),
            "PING\r\n",
            "*3\r\n$3\r\nSET\r\n$1\r\na\r\n$999999999\r\n",
            "*2147483647\r\n",
            "$2147483647\r\n",
            "*-1\r\n",
        };
        try (TestServer server = TestServer.start(dir)) {
            for (int i = 0; i < 300; i++) {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
                    s.setSoTimeout(100);
                    byte[] frame;
                    switch (random.nextInt(3)) {
                        case 0 -> {
                            frame = new byte[random.nextInt(512)];
                            random.nextBytes(frame);
                        }
                        case 1 -> {
                            byte[] v = valid[random.nextInt(valid.length)].getBytes(StandardCharsets.UTF_8);
                            frame = java.util.Arrays.copyOf(v, random.nextInt(v.length + 1)); // truncated
                        }
                        default -> {
                            byte[] v = valid[random.nextInt(valid.length)].getBytes(StandardCharsets.UTF_8);
                            frame = v.clone();
                            if (frame.length > 0) {
                                frame[random.nextInt(frame.length)] = (byte) random.nextInt(256); // one byte flipped
                            }
                        }
                    }
                    s.getOutputStream().write(frame);
                    s.getOutputStream().flush();
                    if (i % 8 != 0) {
                        s.shutdownOutput(); // EOF: the server closes at once; otherwise it waits for the rest
                    }
                    try {
                        s.getInputStream().read(new byte[4096]);
                    } catch (java.io.IOException e) {
                        // timeouts and resets are fine
                    }
                }
            }
            try (var c = server.raw()) {
                c.command("PING");
                assertThat(c.reply()).isEqualTo("+PONG\r\n");
            }
        }
    }
}
