package io.strata.cli;

import io.strata.cluster.admin.AdminException;
import java.time.Duration;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The options every {@code strata cluster} command takes: which group, how long to wait. */
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
