package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import picocli.CommandLine;

/** Starts a server on 127.0.0.1 with an ephemeral port over a test directory. */
final class TestServer implements AutoCloseable {
    final Path dir;
    final StrataServer server;

    private TestServer(Path dir, StrataServer server) {
        this.dir = dir;
        this.server = server;
    }

    static TestServer start(Path dir) {
        return start(dir, c -> c);
    }

    static TestServer start(Path dir, UnaryOperator<ServerConfig> configure) {
        ServerConfig config = configure.apply(new ServerConfig()
                .dir(dir)
                .bind("127.0.0.1")
                .port(0)
                .ioThreads(2)
                .workerThreads(8));
        return new TestServer(dir, new StrataServer(config).start());
    }

    /** Runs {@code strata server} with arguments that must be a usage error (exit 2); returns stderr. */
    static String usageError(String... args) {
        StringWriter err = new StringWriter();
        int rc = new CommandLine(new ServerMain()).setErr(new PrintWriter(err)).execute(args);
        assertThat(rc).as(err.toString()).isEqualTo(2);
        return err.toString();
    }

    int port() {
        return server.port();
    }

    /** {@code base} followed by {@code more}, each as a string: command lines that differ in their last options. */
    static String[] withArgs(String[] base, Object... more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        for (int i = 0; i < more.length; i++) {
            all[base.length + i] = more[i].toString();
        }
        return all;
    }

    @Override
    public void close() {
        server.stop();
    }

    /** A raw connection for byte-exact protocol tests. */
    RawClient raw() throws IOException {
        return new RawClient(new Socket(InetAddress.getLoopbackAddress(), port()));
    }

    static final class RawClient implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        RawClient(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        RawClient send(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return this;
        }

        RawClient send(byte[] b) throws IOException {
            out.write(b);
            out.flush();
            return this;
        }

        /** Sends a command as a RESP array of bulk strings. */
        RawClient command(String... args) throws IOException {
            return send(encode(args));
        }

        static String encode(String... args) {
            StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
            for (String a : args) {
                sb.append('$')
                        .append(a.getBytes(StandardCharsets.UTF_8).length)
                        .append("\r\n")
                        .append(a)
                        .append("\r\n");
            }
            return sb.toString();
        }

        /** Reads one whole reply (any RESP2/RESP3 type) and returns its raw text. */
        String reply() throws IOException {
            StringBuilder sb = new StringBuilder();
            readReply(sb);
            return sb.toString();
        }

        private void readReply(StringBuilder sb) throws IOException {
            String line = line();
            sb.append(line).append("\r\n");
            char type = line.charAt(0);
            switch (type) {
                case '$', '=' -> {
                    int n = Integer.parseInt(line.substring(1));
                    if (n >= 0) {
                        byte[] data = in.readNBytes(n + 2);
                        sb.append(new String(data, StandardCharsets.UTF_8));
                    }
                }
                case '*', '~', '>' -> {
                    int n = Integer.parseInt(line.substring(1));
                    for (int i = 0; i < n; i++) {
                        readReply(sb);
                    }
                }
                case '%' -> {
                    int n = Integer.parseInt(line.substring(1));
                    for (int i = 0; i < 2 * n; i++) {
                        readReply(sb);
                    }
                }
                default -> {}
            }
        }

        String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            int prev = -1;
            while (true) {
                int c = in.read();
                if (c < 0) {
                    throw new IOException("connection closed after '" + sb + "'");
                }
                if (prev == '\r' && c == '\n') {
                    sb.setLength(sb.length() - 1);
                    return sb.toString();
                }
                sb.append((char) c);
                prev = c;
            }
        }

        /** True if the server has closed the connection (reads EOF within the timeout). */
        boolean closedByServer() throws IOException {
            try {
                return in.read() < 0;
            } catch (java.net.SocketException e) {
                return true;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
