package io.strata.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code strata server}: runs the Redis-protocol server until SHUTDOWN or SIGTERM/SIGINT.
 * A plain picocli command, so the {@code strata} command can take it as a subcommand.
 */
@Command(name = "server", mixinStandardHelpOptions = true, versionProvider = ServerCommand.Version.class,
        description = "Runs a Redis-protocol (RESP2/RESP3) server over a Strata store.")
public final class ServerCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ServerCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", description = "Data directory (default: ${DEFAULT-VALUE}).")
    Path dir = Path.of("data");

    @Option(names = "--bind", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bind = "127.0.0.1";

    @Option(names = "--port", description = "TCP port (default: ${DEFAULT-VALUE}).")
    int port = 6380;

    @Option(names = "--requirepass", description = "Password clients must give with AUTH (default: none).")
    String requirePass;

    @Option(names = "--maxclients", description = "Most simultaneous clients (default: ${DEFAULT-VALUE}).")
    int maxClients = 10_000;

    @Option(names = "--timeout", description = "Close clients idle this many seconds; 0 = never (default: ${DEFAULT-VALUE}).")
    long timeout = 0;

    @Option(names = "--sync", description = "Fsync the WAL before acknowledging each write (default: off: an acknowledged write survives a process crash, not a power loss).")
    boolean sync;

    @Option(names = "--proto-max-bulk-len", description = "Largest bulk string in bytes, at most the engine's 64 MiB value limit (default: ${DEFAULT-VALUE}).")
    long protoMaxBulkLen = ServerConfig.MAX_PROTO_MAX_BULK_LEN;

    @Option(names = "--io-threads", description = "Socket I/O threads; 0 = one per core (default: ${DEFAULT-VALUE}).")
    int ioThreads = 0;

    @Option(names = "--worker-threads", description = "Command threads; 0 = 4 per core, at least 8 (default: ${DEFAULT-VALUE}).")
    int workerThreads = 0;

    @Option(names = "--write-buffer-size", description = "Engine memtable size in bytes (default: ${DEFAULT-VALUE}).")
    long writeBufferSize = 64L * 1024 * 1024;

    @Option(names = "--metrics-port", description = "HTTP port serving Prometheus metrics at /metrics on the --bind address; 0 = off (default: ${DEFAULT-VALUE}).")
    int metricsPort = 0;

    @Option(names = "--tls-port", description = "Also serve TLS on this port (with --tls-cert-file and --tls-key-file); 0 = no TLS (default: ${DEFAULT-VALUE}).")
    int tlsPort = 0;

    @Option(names = "--tls-cert-file", paramLabel = "FILE", description = "PEM certificate (chain) of the TLS port.")
    Path tlsCertFile;

    @Option(names = "--tls-key-file", paramLabel = "FILE", description = "PEM private key of the TLS port, unencrypted PKCS#8 (BEGIN PRIVATE KEY).")
    Path tlsKeyFile;

    @Option(names = "--write-filter", paramLabel = "NAME",
            description = "Enables a write filter (repeatable; they run in order): a filter's name (built in: json) or a class implementing io.strata.server.filter.WriteFilter.")
    java.util.List<String> writeFilters = new java.util.ArrayList<>();

    @Option(names = "--write-filter-option", paramLabel = "FILTER.KEY=VALUE",
            description = "An option of an enabled write filter (repeatable), e.g. json.prefix=doc: or json.redact=password.")
    java.util.List<String> writeFilterOptions = new java.util.ArrayList<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new ServerCommand()).execute(args));
    }

    ServerConfig config() {
        try {
            ServerConfig c = new ServerConfig();
            writeFilters.forEach(c::writeFilter);
            io.strata.server.filter.WriteFilters.parseOptions(writeFilterOptions).forEach((f, opts) ->
                    opts.forEach((k, values) -> values.forEach(v -> c.writeFilterOption(f, k, v))));
            c.dir(dir).bind(bind).port(port).requirePass(requirePass).maxClients(maxClients)
                    .timeoutSeconds(timeout).sync(sync).protoMaxBulkLen(protoMaxBulkLen).ioThreads(ioThreads)
                    .workerThreads(workerThreads).writeBufferSize(writeBufferSize).metricsPort(metricsPort);
            if (tlsPort < 0 || tlsPort > 65535) {
                throw new IllegalArgumentException("--tls-port must be 0..65535, got " + tlsPort);
            }
            if (tlsPort > 0) {
                if (tlsCertFile == null || tlsKeyFile == null) {
                    throw new IllegalArgumentException("--tls-port needs --tls-cert-file and --tls-key-file");
                }
                if (tlsPort == port) {
                    throw new IllegalArgumentException("--tls-port must differ from --port (" + port + ")");
                }
                c.tls(tlsPort, tlsCertFile, tlsKeyFile);
                // Missing or bad certificate and key files are usage errors too.
                ServerTls.context(tlsCertFile, tlsKeyFile);
            } else if (tlsCertFile != null || tlsKeyFile != null) {
                throw new IllegalArgumentException("--tls-cert-file and --tls-key-file need --tls-port (a port above 0)");
            }
            // Unknown filters and options are usage errors: check them before anything starts.
            io.strata.server.filter.WriteFilters.load(c.writeFilters(), c.writeFilterOptions(),
                    ServerCommand.class.getClassLoader());
            return c;
        } catch (IllegalArgumentException e) {
            // The running command line (spec), so the message goes to its error stream.
            throw new CommandLine.ParameterException(spec != null ? spec.commandLine() : new CommandLine(this),
                    e.getMessage());
        }
    }

    @Override
    public Integer call() {
        StrataServer server = new StrataServer(config()).start();
        // SIGTERM and SIGINT stop the server gracefully, then call() returns and the process
        // exits with 0. A signal handler rather than a shutdown hook: hooks run concurrently
        // with each other (logging's among them) and the JVM would exit with 128+signal.
        for (String signal : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> {
                    log.info("Shutting down: SIG{} received", signal);
                    server.stop();
                });
            } catch (IllegalArgumentException e) {
                log.debug("cannot handle SIG{}: {}", signal, e.getMessage());
            }
        }
        // Any other way the JVM goes down still closes the store (and so syncs the WAL).
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "strata-shutdown-hook"));
        server.awaitTermination();
        return 0;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"strata server " + StrataServer.VERSION};
        }
    }
}
