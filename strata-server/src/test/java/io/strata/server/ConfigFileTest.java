package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.Compression;
import io.strata.server.replication.ClusterSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code strata server --config FILE}: values from the file, the command line over them, errors. */
class ConfigFileTest {
    @TempDir
    Path dir;

    private Path file(String... lines) throws IOException {
        Path f = dir.resolve("strata.conf");
        Files.write(f, List.of(lines));
        return f;
    }

    private static ServerConfig parse(String... args) {
        ServerMain cmd = new ServerMain();
        new CommandLine(cmd).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        return cmd.config();
    }

    @Test
    void fileValuesAreApplied() throws IOException {
        Path f = file(
                "# a comment",
                "   # an indented comment",
                "",
                "dir " + dir.resolve("db"),
                "PORT 6390",
                "bind   0.0.0.0  ",
                "requirepass \"two words\"",
                "maxclients 42",
                "timeout 30",
                "busy-reply-threshold 250",
                "sync yes",
                "proto-max-bulk-len 2097152",
                "io-threads 3",
                "worker-threads 5",
                "write-buffer-size 1048576",
                "block-cache-size 0",
                "compression ZsTd",
                "compaction-threads 2",
                "write-filter json",
                "write-filter-option json.prefix=doc:",
                "write-filter-option json.redact=password",
                "write-filter-option json.redact=token");
        for (ServerConfig c : List.of(parse("--config", f.toString()), parse(f.toString()))) {
            assertThat(c.configFile()).isEqualTo(f);
            assertThat(c.dir()).isEqualTo(dir.resolve("db"));
            assertThat(c.port()).isEqualTo(6390);
            assertThat(c.bind()).isEqualTo("0.0.0.0");
            assertThat(c.requirePass()).isEqualTo("two words");
            assertThat(c.maxClients()).isEqualTo(42);
            assertThat(c.timeoutSeconds()).isEqualTo(30);
            assertThat(c.busyReplyThresholdMillis()).isEqualTo(250);
            assertThat(c.sync()).isTrue();
            assertThat(c.protoMaxBulkLen()).isEqualTo(2097152);
            assertThat(c.ioThreads()).isEqualTo(3);
            assertThat(c.workerThreads()).isEqualTo(5);
            assertThat(c.writeBufferSize()).isEqualTo(1048576);
            assertThat(c.blockCacheSize()).isZero();
            assertThat(c.compression()).isEqualTo(Compression.ZSTD);
            assertThat(c.compactionThreads()).isEqualTo(2);
            assertThat(c.engineOptions().compression()).isEqualTo(Compression.ZSTD);
            assertThat(c.engineOptions().syncWal()).isTrue();
            assertThat(c.writeFilters()).containsExactly("json");
            assertThat(c.writeFilterOptions().get("json"))
                    .containsEntry("prefix", List.of("doc:"))
                    .containsEntry("redact", List.of("password", "token"));
        }
    }

    @Test
    void commandLineOverridesTheFile() throws IOException {
        Path f = file(
                "port 6390",
                "sync yes",
                "compression zstd",
                "write-filter json",
                "write-filter-option json.prefix=doc:",
                "maxclients 42");
        ServerConfig c = parse(
                "--config",
                f.toString(),
                "--port",
                "6391",
                "--sync=false",
                "--compression",
                "none",
                "--write-filter-option",
                "json.prefix=x:",
                "--write-filter-option",
                "json.redact=pw");
        assertThat(c.port()).isEqualTo(6391);
        assertThat(c.sync()).isFalse();
        assertThat(c.compression()).isEqualTo(Compression.NONE);
        assertThat(c.writeFilterOptions().get("json"))
                .containsEntry("prefix", List.of("x:"))
                .containsEntry("redact", List.of("pw"));
        assertThat(c.maxClients()).as("not overridden").isEqualTo(42);
        assertThat(parse("--config", f.toString(), "--sync").sync()).isTrue();
        // no file: the built-in defaults
        ServerConfig none = parse();
        assertThat(none.configFile()).isNull();
        assertThat(none.port()).isEqualTo(6380);
        assertThat(none.sync()).isFalse();
        assertThat(none.compression()).isEqualTo(new io.strata.Options().compression());
    }

    @Test
    void securityDirectives() throws IOException {
        Path token = dir.resolve("metrics.token");
        Files.writeString(token, "t0ken\n");
        Path f = file(
                "protected-mode no",
                "enable-protected-configs yes",
                "checkpoint-dir " + dir.resolve("cps"),
                "metrics-port 9121",
                "metrics-bind 127.0.0.2",
                "metrics-token-file " + token);
        ServerConfig c = parse(f.toString());
        assertThat(c.protectedMode()).isFalse();
        assertThat(c.enableProtectedConfigs()).isTrue();
        assertThat(c.checkpointDir()).isEqualTo(dir.resolve("cps"));
        assertThat(c.metricsBind()).isEqualTo("127.0.0.2");
        assertThat(c.metricsTokenFile()).isEqualTo(token);
        assertThat(parse(f.toString(), "--protected-mode", "yes").protectedMode())
                .isTrue();
        ServerConfig none = parse();
        assertThat(none.protectedMode()).isTrue();
        assertThat(none.enableProtectedConfigs()).isFalse();
        assertThat(none.checkpointDir())
                .isEqualTo(Path.of("data").toAbsolutePath().getParent().resolve("checkpoints"));
        assertThat(none.metricsBind()).isEqualTo(none.bind());
        assertThat(none.metricsTokenFile()).isNull();
        assertThat(TestServer.usageError(file("protected-mode maybe").toString()))
                .contains("bad value 'maybe' for 'protected-mode': expected yes or no");
        assertThat(TestServer.usageError(
                        file("metrics-token-file " + dir.resolve("none")).toString()))
                .contains("strata.conf:1: cannot read the metrics token file");
    }

    @Test
    void pubSubDirectives() throws IOException {
        Path f = file(
                "notify-keyspace-events KEA",
                "client-output-buffer-limit pubsub 1mb 512kb 10",
                "client-output-buffer-limit normal 1k 0 0",
                "acl-pubsub-default allchannels");
        ServerConfig c = parse(f.toString());
        assertThat(c.notifyKeyspaceEvents().describe()).isEqualTo("AKE");
        assertThat(c.outputBufferLimits().describe())
                .isEqualTo("normal 1000 0 0 slave 268435456 67108864 60 pubsub 1048576 524288 10");
        assertThat(c.aclPubsubDefault()).isTrue();
        assertThat(TestServer.usageError(
                        file("client-output-buffer-limit pubsub 1mb").toString()))
                .contains("strata.conf:1: Wrong number of arguments in buffer limit configuration.");
        assertThat(TestServer.usageError(file("notify-keyspace-events Q").toString()))
                .contains("strata.conf:1: Invalid event class character");
    }

    @Test
    void theShippedExampleIsValidAndMatchesTheDefaults() {
        Path example = Path.of("..", "strata.conf");
        assertThat(example).exists();
        ServerConfig c = parse("--config", example.toString());
        ServerConfig defaults = parse();
        assertThat(c.port()).isEqualTo(defaults.port());
        assertThat(c.bind()).isEqualTo(defaults.bind());
        assertThat(c.dir()).isEqualTo(defaults.dir());
        assertThat(c.writeBufferSize()).isEqualTo(defaults.writeBufferSize());
        assertThat(c.blockCacheSize()).isEqualTo(defaults.blockCacheSize());
        assertThat(c.compression()).isEqualTo(defaults.compression());
        assertThat(c.protectedMode()).isEqualTo(defaults.protectedMode());
        assertThat(c.enableProtectedConfigs()).isEqualTo(defaults.enableProtectedConfigs());
        assertThat(c.checkpointDir()).isEqualTo(defaults.checkpointDir());
        assertThat(c.metricsBind()).isEqualTo(defaults.metricsBind());
        assertThat(c.notifyKeyspaceEvents()).isEqualTo(defaults.notifyKeyspaceEvents());
        assertThat(c.outputBufferLimits()).isEqualTo(defaults.outputBufferLimits());
        assertThat(c.aclPubsubDefault()).isEqualTo(defaults.aclPubsubDefault());
    }

    /** The example shows every option of strata server: as a setting, or as a commented-out one. */
    @Test
    void theShippedExampleShowsEveryOption() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "strata.conf"));
        for (picocli.CommandLine.Model.OptionSpec o :
                new CommandLine(new ServerMain()).getCommandSpec().options()) {
            String name = ConfigFileDefaults.name(o);
            if (o.usageHelp() || o.versionHelp() || name.equals(ServerMain.CONFIG_OPTION)) {
                continue;
            }
            assertThat(lines).as(name).anyMatch(l -> l.startsWith(name + " ") || l.startsWith("# " + name + " "));
        }
    }

    /** Every cluster option of the example, uncommented, is a directive the server takes, with its value. */
    @Test
    void theExamplesClusterSettingsWorkFromAFile() throws IOException {
        List<String> cluster = Files.readAllLines(Path.of("..", "strata.conf")).stream()
                .dropWhile(l -> !l.startsWith("# --- Cluster"))
                .skip(1)
                .filter(l -> l.matches("# [a-z-]+ \\S+"))
                .map(l -> l.substring(2))
                .toList();
        assertThat(cluster)
                .extracting(l -> l.substring(0, l.indexOf(' ')))
                .containsExactly(
                        "node-id",
                        "raft-port",
                        "peers",
                        "join",
                        "snapshot-threshold",
                        "raft-segment-size",
                        "election-timeout",
                        "cluster-request-timeout",
                        "lease-reads");
        List<String> lines = new ArrayList<>(cluster);
        lines.replaceAll(l -> l.replace("join no", "join yes").replace("lease-reads no", "lease-reads yes"));
        lines.replaceAll(l -> l.replace("snapshot-threshold 100000", "snapshot-threshold 64"));
        ClusterSettings c =
                parse("--config", file(lines.toArray(new String[0])).toString()).cluster();
        assertThat(c).isNotNull();
        assertThat(c.nodeId()).isEqualTo("n1");
        assertThat(c.raftPort()).isEqualTo(9871);
        assertThat(c.peers()).isEqualTo("n1=127.0.0.1:9871,n2=127.0.0.1:9872,n3=127.0.0.1:9873");
        assertThat(c.join()).isTrue();
        assertThat(c.leaseReads()).isTrue();
        assertThat(c.snapshotThreshold()).isEqualTo(64);
        assertThat(c.segmentSizeBytes()).isEqualTo(ClusterSettings.DEFAULT_SEGMENT_SIZE);
        assertThat(c.electionTimeoutMs()).isEqualTo(ClusterSettings.DEFAULT_ELECTION_TIMEOUT_MS);
        assertThat(c.requestTimeoutMs()).isEqualTo(ClusterSettings.DEFAULT_REQUEST_TIMEOUT_MS);
    }

    @Test
    void errorsNameTheFileAndLineAndStopTheStart() throws IOException {
        Path data = dir.resolve("data");
        String f = file("dir " + data, "prot 6390").toString();
        assertThat(TestServer.usageError("--config", f))
                .contains(f + ":2: unknown directive 'prot' (did you mean 'port'?)");
        assertThat(TestServer.usageError(
                        "--config", file("dir " + data, "requirepas x").toString()))
                .contains(":2: unknown directive 'requirepas' (did you mean 'requirepass'?)");
        assertThat(TestServer.usageError(
                        "--config", file("dir " + data, "help yes").toString()))
                .contains(":2: unknown directive 'help'");
        assertThat(TestServer.usageError(
                        "--config", file("dir " + data, "", "port abc").toString()))
                .contains(f + ":3: bad value 'abc' for 'port': expected an integer");
        assertThat(TestServer.usageError(
                        "--config", file("dir " + data, "port = 6380").toString()))
                .contains(":2: bad value '= 6380' for 'port': expected an integer");
        assertThat(TestServer.usageError(
                        "--config", file("dir " + data, "sync maybe").toString()))
                .contains(":2: bad value 'maybe' for 'sync': expected yes or no");
        assertThat(TestServer.usageError(
                        "--config", file("dir " + data, "compression gzip").toString()))
                .contains(":2: bad value 'gzip' for 'compression': expected one of none, lz4, zstd");
        assertThat(TestServer.usageError(
                        "--config", file("dir " + data, "write-buffer-size 1e6").toString()))
                .contains(":2: bad value '1e6' for 'write-buffer-size': expected an integer (bytes)");
        assertThat(TestServer.usageError(
                        "--config",
                        file("dir " + data, "port 6390", "port 6391").toString()))
                .contains(":3: 'port' is already set at " + f + ":2");
        assertThat(TestServer.usageError("--config", file("dir " + data, "port").toString()))
                .contains(":2: 'port' needs a value");
        // range checks of the setting itself, located in the file
        assertThat(TestServer.usageError(
                        "--config", file("dir " + data, "# c", "port 70000").toString()))
                .contains(f + ":3: port must be 0..65535, got 70000");
        assertThat(TestServer.usageError(
                        "--config", file("dir " + data, "compaction-threads 0").toString()))
                .contains(f + ":2: compactionThreads must be at least 1");
        assertThat(TestServer.usageError(
                        "--config", file("dir " + data, "write-filter nosuch").toString()))
                .contains(f + ":2: unknown write filter 'nosuch'");
        // ... but not when the command line gave the value
        assertThat(TestServer.usageError("--config", file("dir " + data).toString(), "--port", "70000"))
                .contains("port must be 0..65535")
                .doesNotContain(f + ":");
        // the file itself
        Path missing = dir.resolve("nope.conf");
        assertThat(TestServer.usageError("--config", missing.toString()))
                .contains("cannot read config file " + missing + ": no such file");
        assertThat(TestServer.usageError(missing.toString()))
                .contains("cannot read config file " + missing + ": no such file");
        assertThat(TestServer.usageError("--config", dir.toString())).contains("cannot read config file " + dir);
        Files.write(dir.resolve("latin1.conf"), new byte[] {'b', 'i', 'n', 'd', ' ', (byte) 0xe9});
        assertThat(TestServer.usageError("--config", dir.resolve("latin1.conf").toString()))
                .contains("not UTF-8 text");
        assertThat(TestServer.usageError("--config", f, f)).contains("give the config file once");
        assertThat(data).doesNotExist();
    }
}
