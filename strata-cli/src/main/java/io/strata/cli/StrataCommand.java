package io.strata.cli;

import io.strata.StrataException;
import io.strata.server.ServerMain;
import io.strata.tools.Text;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code strata} command: every tool is one of its subcommands ({@code server},
 * {@code cluster status}, {@code sst dump}, {@code db verify}, {@code db stats}, {@code bench},
 * {@code stress}). Commands print to the
 * {@link CommandLine}'s out and err writers, so tests run them in-process with
 * {@link #commandLine()} and capture both.
 *
 * <p>Exit status: {@value #OK} success, {@value #FAILED} corruption found or the command
 * failed, {@value #USAGE} usage error (bad arguments, a missing file or directory). Errors
 * the user can act on are one line on stderr; only a bug in Strata prints a stack trace.
 */
@Command(
        name = "strata",
        mixinStandardHelpOptions = true,
        versionProvider = StrataCommand.Version.class,
        description = "Strata's command-line tools: run a server, administer a cluster, inspect SSTables, verify and "
                + "inspect stores, run benchmarks and stress tests.",
        // bench and stress come from strata-bench when it is on the class path (ClassPathCommands).
        subcommands = {ServerMain.class, ClusterCommand.class, SstCommand.class, DbCommand.class},
        footer = {"", "Exit status: 0 success; 1 corruption found or the command failed; 2 usage error."})
public final class StrataCommand implements Callable<Integer> {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * The configured command line: the class path's commands, help last, case-insensitive enum
     * values (bench), one-line errors.
     */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new StrataCommand());
        for (Object command : ClassPathCommands.load(StrataCommand.class.getClassLoader())) {
            cl.addSubcommand(command);
        }
        cl.addSubcommand(new CommandLine.HelpCommand());
        // After the subcommands are added: the setters apply to those present.
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler(StrataCommand::handleError);
        return cl;
    }

    @Override
    public Integer call() {
        throw missingSubcommand(spec);
    }

    /** For a command that only groups subcommands and was run without one. */
    static CommandLine.ParameterException missingSubcommand(CommandSpec spec) {
        return new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    private static int handleError(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        String prefix = cmd.getCommandSpec().qualifiedName() + ": ";
        int code;
        if (e instanceof CliException c) {
            err.println(prefix + c.getMessage());
            code = c.exitCode();
        } else if (e instanceof StrataException || e instanceof IOException || e instanceof UncheckedIOException) {
            err.println(prefix + Text.describe(e));
            code = FAILED;
        } else {
            // Not a user error: a bug, whose stack trace is the useful report.
            err.print(cmd.getColorScheme().stackTraceText(e));
            code = FAILED;
        }
        err.flush();
        return code;
    }

    /** The version Maven wrote into strata-cli.properties. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = StrataCommand.class.getResourceAsStream("/strata-cli.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"strata " + p.getProperty("version", "(unknown version)")};
        }
    }
}
