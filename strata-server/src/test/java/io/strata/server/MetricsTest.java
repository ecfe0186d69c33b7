package io.strata.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.testkit.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.exceptions.JedisDataException;

/** The Prometheus endpoint: series present, values sane. */
class MetricsTest {
    @TempDir
    Path dir;

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*\\})?) (\\S+)$");

    /** Starts a server with metrics on a free port (retrying if another process took it meanwhile). */
    static TestServer startWithMetrics(Path dir) throws IOException {
        return startWithMetrics(dir, c -> c);
    }

    /** The same with more settings. */
    static TestServer startWithMetrics(Path dir, java.util.function.UnaryOperator<ServerConfig> more)
            throws IOException {
        for (int attempt = 0; ; attempt++) {
            int port = FreePorts.next();
            try {
                return TestServer.start(dir, c -> more.apply(c.metricsPort(port)));
            } catch (UncheckedIOException e) {
                if (attempt == 4) {
                    throw e;
                }
            }
        }
    }

    static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Every sample of a scrape: "name{labels}" to value. */
    static Map<String, Double> samples(String text) {
        Map<String, Double> m = new HashMap<>();
        for (String line : text.split("\n", -1)) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            Matcher matcher = SAMPLE.matcher(line);
            assertThat(matcher.matches()).as("sample line: %s", line).isTrue();
            m.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
        }
        return m;
    }

    @Test
    void endpointServesCommandServerAndEngineSeries() throws Exception {
        try (TestServer server = startWithMetrics(dir);
                Jedis j = new Jedis("127.0.0.1", server.port())) {
            int port = server.server.metricsPort();
            assertThat(port).isPositive();
            for (int i = 0; i < 10; i++) {
                j.set("k" + i, "v" + i);
            }
            Pipeline p = j.pipelined();
            for (int i = 0; i < 100; i++) {
                p.set("p" + i, "v");
            }
            p.sync();
            for (int i = 0; i < 3; i++) {
                j.get("k" + i);
            }
            j.get("missing");
            j.incr("n");
            j.save();
            assertThatThrownBy(() -> j.sendCommand(() -> "NOSUCH".getBytes(UTF_8)))
                    .isInstanceOf(JedisDataException.class);
            assertThatThrownBy(() -> j.sendCommand(() -> "GET".getBytes(UTF_8))).isInstanceOf(JedisDataException.class);

            HttpResponse<String> r = get(port, "/metrics");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
            String body = r.body();
            Map<String, Double> s = samples(body);

            assertThat(s).containsEntry("strata_commands_total{command=\"set\"}", 110.0);
            assertThat(s).containsEntry("strata_commands_total{command=\"get\"}", 5.0); // 4, and one without its key
            assertThat(s).containsEntry("strata_commands_total{command=\"incr\"}", 1.0);
            assertThat(s).containsEntry("strata_commands_total{command=\"unknown\"}", 1.0);
            assertThat(s).containsEntry("strata_command_errors_total{command=\"get\"}", 1.0);
            assertThat(s).containsEntry("strata_command_errors_total{command=\"set\"}", 0.0);
            assertThat(s).containsEntry("strata_command_duration_seconds_count{command=\"set\"}", 110.0);
            assertThat(s).containsEntry("strata_command_duration_seconds_bucket{command=\"get\",le=\"+Inf\"}", 5.0);
            assertThat(s.get("strata_command_duration_seconds_sum{command=\"save\"}"))
                    .isPositive();
            assertThat(s.keySet().stream()
                            .filter(k -> k.startsWith("strata_command_duration_seconds_bucket{command=\"get\"")))
                    .hasSizeGreaterThan(10); // a percentile histogram, not just a count
            assertThat(body).contains("# TYPE strata_command_duration_seconds histogram");

            assertThat(s).containsEntry("strata_connected_clients", 1.0);
            assertThat(s.get("strata_connections_received_total")).isGreaterThanOrEqualTo(1.0);
            assertThat(s.get("strata_net_input_bytes_total")).isGreaterThan(1000.0);
            assertThat(s.get("strata_net_output_bytes_total")).isGreaterThan(500.0);
            assertThat(s).containsEntry("strata_keyspace_hits_total", 3.0);
            assertThat(s).containsEntry("strata_keyspace_misses_total", 1.0);

            assertThat(s.get("strata_engine_flushes_total")).isGreaterThanOrEqualTo(1.0);
            assertThat(s.get("strata_engine_flush_written_bytes_total")).isPositive();
            assertThat(s.get("strata_engine_ingested_bytes_total")).isPositive();
            assertThat(s.get("strata_engine_level_files{level=\"0\"}")).isGreaterThanOrEqualTo(1.0);
            assertThat(s)
                    .containsKeys(
                            "strata_engine_level_files{level=\"6\"}", "strata_engine_level_size_bytes{level=\"0\"}");
            assertThat(s.get("strata_engine_live_sst_size_bytes")).isPositive();
            assertThat(s).containsEntry("strata_engine_memtable_bytes", 0.0); // just flushed
            assertThat(s).containsEntry("strata_engine_immutable_memtables", 0.0);
            assertThat(s.get("strata_engine_write_amplification")).isGreaterThanOrEqualTo(1.0);
            assertThat(s)
                    .containsKeys(
                            "strata_engine_compactions_total",
                            "strata_engine_compaction_read_bytes_total",
                            "strata_engine_compaction_written_bytes_total",
                            "strata_engine_compaction_failures_total");
            assertThat(s).containsEntry("strata_engine_stall_writes_total{reason=\"level0-stop\"}", 0.0);
            assertThat(s)
                    .containsKeys(
                            "strata_engine_stall_seconds_total{reason=\"memtable-queue-full\"}",
                            "strata_engine_stall_writes_total{reason=\"level0-slowdown\"}");
            assertThat(s.get("strata_engine_block_cache_hit_ratio")).isBetween(0.0, 1.0);
            assertThat(s.get("strata_engine_block_cache_usage_bytes")).isGreaterThanOrEqualTo(0.0);
            assertThat(s.get("strata_engine_last_sequence")).isGreaterThanOrEqualTo(111.0);
            assertThat(body).contains("jvm_memory_used_bytes", "process_uptime_seconds");

            // a fresh engine snapshot per scrape
            j.set("more", "x");
            assertThat(samples(get(port, "/metrics").body()).get("strata_engine_memtable_bytes"))
                    .isPositive();

            assertThat(get(port, "/").statusCode()).isEqualTo(404);
            HttpResponse<String> post = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                            .POST(HttpRequest.BodyPublishers.ofString("x"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(j.configGet("strata-metrics-port")).containsEntry("strata-metrics-port", Integer.toString(port));
        }
    }

    @Test
    void offByDefaultAndStoppedWithTheServer() throws Exception {
        try (TestServer server = TestServer.start(dir);
                Jedis j = new Jedis("127.0.0.1", server.port())) {
            assertThat(server.server.metricsPort()).isZero();
            assertThat(j.configGet("strata-metrics-port")).containsEntry("strata-metrics-port", "0");
            j.set("a", "b"); // recording nothing costs nothing and breaks nothing
            assertThat(j.get("a")).isEqualTo("b");
        }
        int port;
        try (TestServer server = startWithMetrics(dir)) {
            port = server.server.metricsPort();
            assertThat(get(port, "/metrics").statusCode()).isEqualTo(200);
        }
        assertThatThrownBy(() -> get(port, "/metrics")).isInstanceOf(IOException.class);
    }

    @Test
    void busyMetricsPortFailsTheStartAndReleasesTheStore() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> TestServer.start(dir, c -> c.metricsPort(busy.getLocalPort())))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("cannot serve metrics");
        }
        try (TestServer server = TestServer.start(dir);
                Jedis j = new Jedis("127.0.0.1", server.port())) {
            assertThat(j.ping()).isEqualTo("PONG"); // the store was closed and can be opened again
        }
    }
}
