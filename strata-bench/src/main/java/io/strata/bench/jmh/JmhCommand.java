package io.strata.bench.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code strata jmh}: the microbenchmarks of this package, run by JMH with JMH's own options
 * (everything after {@code jmh} is JMH's: {@code -h} lists them, {@code -l} the benchmarks, a
 * regular expression selects some). Forked benchmark JVMs get this JVM's class path.
 */
@Command(
        name = "jmh",
        description = "Runs Strata's JMH microbenchmarks (memtable, table lookup and bloom probe, internal keys, "
                + "WAL with group commit, RESP); the arguments are JMH's (-h lists them, -l the benchmarks).")
public final class JmhCommand implements Callable<Integer> {
    /** Every argument, in order: this command declares none, so picocli leaves them all unmatched. */
    @Unmatched
    List<String> arguments = new ArrayList<>();

    @Override
    public Integer call() throws RunnerException {
        CommandLineOptions options;
        try {
            options = new CommandLineOptions(arguments.toArray(new String[0]));
        } catch (CommandLineOptionException e) {
            System.err.println("strata jmh: " + e.getMessage());
            return 2;
        }
        if (options.shouldHelp()) {
            try {
                options.showHelp();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return 0;
        }
        Runner runner = new Runner(options);
        if (options.shouldList()) {
            runner.list();
            return 0;
        }
        runner.run();
        return 0;
    }
}
