package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metrics endpoint: a bearer token from --metrics-token-file, and an address of its own. */
class MetricsSecurityTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String TOKEN = "s3cret-Token_42";

    @TempDir
    Path dir;

    private static HttpResponse<String> get(String host, int port, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/metrics"));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void onlyRequestsBearingTheTokenGetMetrics() throws Exception {
        Path tokenFile = dir.resolve("metrics.token");
        Files.writeString(tokenFile, TOKEN + "\n");
        try (TestServer s = MetricsTest.startWithMetrics(dir.resolve("db"), c -> c.metricsTokenFile(tokenFile))) {
            int port = s.server.metricsPort();
            for (String wrong : new String[] {
                null, "Bearer", "Bearer s3cret-token_42", "Bearer " + TOKEN + "x", "Basic " + TOKEN, TOKEN
            }) {
                HttpResponse<String> r = get("127.0.0.1", port, wrong);
                assertThat(r.statusCode()).as(String.valueOf(wrong)).isEqualTo(401);
                assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"strata metrics\"");
                assertThat(r.body()).doesNotContain("strata_").doesNotContain(TOKEN);
            }
            HttpResponse<String> ok = get("127.0.0.1", port, "Bearer " + TOKEN);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).contains("strata_connected_clients");
            assertThat(get("127.0.0.1", port, "bearer " + TOKEN).statusCode())
                    .as("the scheme is case-insensitive")
                    .isEqualTo(200);
        }
    }

    @Test
    void missingOrEmptyTokenFileIsAUsageError() throws Exception {
        Path missing = dir.resolve("nope.token");
        assertThat(TestServer.usageError("--metrics-port", "9121", "--metrics-token-file", missing.toString()))
                .contains("cannot read the metrics token file " + missing);
        Path empty = Files.writeString(dir.resolve("empty.token"), " \n");
        assertThat(TestServer.usageError("--metrics-port", "9121", "--metrics-token-file", empty.toString()))
                .contains("the metrics token file " + empty + " is empty");
        // a server configured directly fails its start the same way, before it opens the store
        assertThatThrownBy(() -> TestServer.start(
                        dir.resolve("db"), c -> c.metricsPort(1).metricsTokenFile(empty)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the metrics token file " + empty + " is empty");
        assertThat(dir.resolve("db")).doesNotExist();
    }

    @Test
    void metricsListenOnTheirOwnAddress() throws Exception {
        // The machine's own non-loopback address, or else another loopback address than the server's.
        String metricsHost = ProtectedModeTest.nonLoopbackAddress()
                .map(InetAddress::getHostAddress)
                .orElse("127.0.0.2");
        System.out.println("metrics bound to " + metricsHost);
        try (TestServer s = MetricsTest.startWithMetrics(dir, c -> c.metricsBind(metricsHost))) {
            int port = s.server.metricsPort();
            assertThat(s.server.config().bind()).isEqualTo("127.0.0.1");
            assertThat(get(metricsHost, port, null).statusCode()).isEqualTo(200);
            assertThatThrownBy(() -> get("127.0.0.1", port, null)).isInstanceOf(ConnectException.class);
        }
        // by default, the server's address
        assertThat(new ServerConfig().bind("10.1.2.3").metricsBind()).isEqualTo("10.1.2.3");
    }
}
