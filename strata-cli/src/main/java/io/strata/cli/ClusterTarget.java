package io.strata.cli;

import io.strata.cluster.admin.AdminException;
import io.strata.server.RaftTlsFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The options every {@code strata cluster} command takes: which group, how long to wait, over which TLS. */
final class ClusterTarget {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(
            names = "--peers",
            required = true,
            paramLabel = "ID=HOST:PORT,...",
            description = "Nodes of the group with their Raft addresses (the servers' --peers; some reachable "
                    + "members will do: the members their configuration names are asked too).")
    String peers;

    @Option(
            names = "--timeout",
            paramLabel = "MS",
            description = "How long one request to a node may take, in ms; a request is tried a few times at "
                    + "most (default: ${DEFAULT-VALUE}).")
    long timeoutMs = 10_000;

    @Option(
            names = "--raft-tls-cert-file",
            paramLabel = "FILE",
            description = "For a cluster whose nodes run with --raft-tls-*: this client's PEM certificate, signed by "
                    + "the cluster's CA (with --raft-tls-key-file and --raft-tls-ca-cert-file).")
    Path raftTlsCertFile;

    @Option(
            names = "--raft-tls-key-file",
            paramLabel = "FILE",
            description = "The certificate's PEM key, unencrypted PKCS#8 (BEGIN PRIVATE KEY).")
    Path raftTlsKeyFile;

    @Option(
            names = "--raft-tls-ca-cert-file",
            paramLabel = "FILE",
            description = "The cluster's CA certificate, which the nodes' certificates must be signed by.")
    Path raftTlsCaCertFile;

    /** Mutual TLS to the nodes, or null for plaintext; files given in part, or bad, are a usage error. */
    RaftTlsFiles tls() {
        try {
            RaftTlsFiles files = RaftTlsFiles.ofOptional(raftTlsCertFile, raftTlsKeyFile, raftTlsCaCertFile);
            if (files != null) {
                files.check();
            }
            return files;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    Duration timeout() {
        if (timeoutMs < 100) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--timeout must be at least 100 ms");
        }
        return Duration.ofMillis(timeoutMs);
    }

    /**
     * Runs an admin action: a bad argument is a usage error (exit 2), a group that cannot be
     * reached or refuses the change a failure (exit 1).
     */
    <T> T call(Supplier<T> action) {
        try {
            return action.get();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        } catch (AdminException e) {
            throw new CliException(StrataCommand.FAILED, e.getMessage());
        }
    }

    /** Runs a change and prints the line that says what it did. */
    int change(Supplier<String> action) {
        print(call(action) + "\n");
        return StrataCommand.OK;
    }

    void print(String text) {
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
    }
}
