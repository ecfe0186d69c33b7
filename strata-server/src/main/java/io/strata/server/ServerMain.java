package io.strata.server;

import io.strata.Compression;
import io.strata.Options;
import io.strata.server.acl.Acl;
import io.strata.server.filter.WriteFilters;
import io.strata.server.replication.ClusterSettings;
import io.strata.server.replication.Replication;
import io.strata.server.replication.ReplicationProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code strata server}: runs the Redis-protocol server until SHUTDOWN or SIGTERM/SIGINT.
 * A plain picocli command, so the {@code strata} command can take it as a subcommand.
 * Every option can also be set in a config file ({@code --config FILE}, or the file as the
 * only argument, as redis-server takes it), read by {@link ConfigFileDefaults}; the command
 * line overrides the file.
 */
@Command(
        name = "server",
        mixinStandardHelpOptions = true,
        versionProvider = ServerMain.Version.class,
        defaultValueProvider = ConfigFileDefaults.class,
        description = {
            "Runs a Redis-protocol (RESP2/RESP3) server over a Strata store.",
            "Every option can also be set in a config file, one 'name value' line each with the option's name "
                    + "without dashes ('port 6380', 'sync yes'; '#' starts a comment line; repeatable options "
                    + "repeat the line); options on the command line override the file. See strata.conf."
        })
public final class ServerMain implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ServerMain.class);
    static final String CONFIG_OPTION = "config";
    /** The engine's defaults, shown as the engine options' defaults. */
    private static final Options ENGINE_DEFAULTS = new Options();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--" + CONFIG_OPTION, paramLabel = "FILE", description = "Read settings from this config file.")
    Path configOption;

    @Parameters(arity = "0..1", paramLabel = "CONFIG_FILE", description = "A config file, as with --config.")
    Path configArgument;

    @Option(names = "--dir", description = "Data directory (default: ${DEFAULT-VALUE}).")
    Path dir = Path.of("data");

    @Option(
            names = "--checkpoint-dir",
            paramLabel = "DIR",
            description = "STRATA.CHECKPOINT writes only new directories below this one (default: 'checkpoints' "
                    + "beside the data directory).")
    Path checkpointDir;

    @Option(names = "--bind", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String bind = "127.0.0.1";

    @Option(names = "--port", description = "TCP port (default: ${DEFAULT-VALUE}).")
    int port = 6380;

    @Option(names = "--requirepass", description = "Password clients must give with AUTH (default: none).")
    String requirePass;

    @Option(
            names = "--aclfile",
            paramLabel = "FILE",
            description = "ACL users ('user NAME rule...' lines, Redis's format), loaded at the start and by ACL LOAD, "
                    + "written by ACL SAVE (default: none).")
    Path aclFile;

    // split = "\n" as for --write-filter: repeated config lines arrive joined by newlines.
    @Option(
            names = "--rename-command",
            paramLabel = "NAME NEWNAME",
            split = "\n",
            hideParamSyntax = true,
            description = "Makes a command answer only to NEWNAME, or to no name with \"\" (repeatable), as Redis's "
                    + "rename-command; ACL rules still name it NAME.")
    List<String> renameCommands = new ArrayList<>();

    @Option(
            names = "--protected-mode",
            paramLabel = "yes|no",
            arity = "1",
            converter = YesNo.class,
            description = "Without a password, serve only loopback clients; others get Redis's DENIED error "
                    + "(default: yes).")
    boolean protectedMode = true;

    @Option(
            names = "--enable-protected-configs",
            paramLabel = "yes|no",
            arity = "1",
            converter = YesNo.class,
            description = "Let CONFIG SET change the parameters that name files and directories (checkpoint-dir); "
                    + "others get Redis's 'can't set protected config' (default: no).")
    boolean enableProtectedConfigs;

    @Option(names = "--maxclients", description = "Most simultaneous clients (default: ${DEFAULT-VALUE}).")
    int maxClients = 10_000;

    @Option(
            names = "--timeout",
            description = "Close clients idle this many seconds; 0 = never (default: ${DEFAULT-VALUE}).")
    long timeout = 0;

    @Option(
            names = "--busy-reply-threshold",
            paramLabel = "MS",
            description = "Milliseconds a script runs before other clients are answered BUSY and SCRIPT KILL "
                    + "may stop it; 0 = at once (default: ${DEFAULT-VALUE}).")
    long busyReplyThreshold = ServerConfig.DEFAULT_BUSY_REPLY_THRESHOLD_MILLIS;

    @Option(
            names = "--notify-keyspace-events",
            paramLabel = "FLAGS",
            description = "Keyspace notifications: Redis's flag letters (K E g $ x e n t m d A); \"\" = none "
                    + "(default: none).")
    String notifyKeyspaceEvents = "";

    // split = "\n": each config file line sets one class, as in redis.conf (see --write-filter).
    @Option(
            names = "--client-output-buffer-limit",
            paramLabel = "CLASS HARD SOFT SECONDS",
            split = "\n",
            hideParamSyntax = true,
            description = "Output buffer limit of a client class (repeatable): normal, replica or pubsub, then "
                    + "the hard and soft limits (bytes, or with kb/mb/gb) and the soft limit's seconds; 0 = none "
                    + "(default: pubsub 32mb 8mb 60; Strata applies it to subscribers and MONITOR clients).")
    List<String> clientOutputBufferLimits = new ArrayList<>();

    @Option(
            names = "--acl-pubsub-default",
            paramLabel = "allchannels|resetchannels",
            description = "The channels a user ACL SETUSER creates may use (default: ${DEFAULT-VALUE}).")
    String aclPubsubDefault = "resetchannels";

    @Option(
            names = "--sync",
            arity = "0..1",
            fallbackValue = "true",
            description = "Fsync the WAL before acknowledging each write (default: ${DEFAULT-VALUE}). Without it an "
                    + "acknowledged write survives a process crash, not a power loss. --sync=false "
                    + "overrides a config file's 'sync yes'.")
    boolean sync;

    @Option(
            names = "--proto-max-bulk-len",
            description = "Largest bulk string in bytes, at most the engine's 64 MiB value limit (default: "
                    + "${DEFAULT-VALUE}).")
    long protoMaxBulkLen = ServerConfig.MAX_PROTO_MAX_BULK_LEN;

    @Option(names = "--io-threads", description = "Socket I/O threads; 0 = one per core (default: ${DEFAULT-VALUE}).")
    int ioThreads = 0;

    @Option(
            names = "--worker-threads",
            description =
                    "Command threads; 0 = 4 per core, at least 8, or 64 on a cluster node (default: ${DEFAULT-VALUE}).")
    int workerThreads = 0;

    @Option(names = "--write-buffer-size", description = "Engine memtable size in bytes (default: ${DEFAULT-VALUE}).")
    long writeBufferSize = ENGINE_DEFAULTS.writeBufferSize();

    @Option(
            names = "--block-cache-size",
            description = "Engine block cache size in bytes; 0 = none (default: ${DEFAULT-VALUE}).")
    long blockCacheSize = ENGINE_DEFAULTS.blockCacheSize();

    @Option(
            names = "--compression",
            description =
                    "Compression of new engine table blocks: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Compression compression = ENGINE_DEFAULTS.compression();

    @Option(
            names = "--compaction-threads",
            description = "Engine background compaction threads (default: ${DEFAULT-VALUE}).")
    int compactionThreads = ENGINE_DEFAULTS.compactionThreads();

    @Option(
            names = "--metrics-port",
            description = "HTTP port serving Prometheus metrics at /metrics on the --bind address; 0 = off (default: "
                    + "${DEFAULT-VALUE}).")
    int metricsPort = 0;

    @Option(
            names = "--metrics-bind",
            paramLabel = "ADDR",
            description = "Address of the metrics endpoint (default: the --bind address).")
    String metricsBind;

    @Option(
            names = "--metrics-token-file",
            paramLabel = "FILE",
            description = "A file holding a token: /metrics then answers only requests with 'Authorization: Bearer "
                    + "<token>' (default: no token).")
    Path metricsTokenFile;

    @Option(
            names = "--tls-port",
            description = "Also serve TLS on this port (with --tls-cert-file and --tls-key-file); 0 = no TLS "
                    + "(default: ${DEFAULT-VALUE}).")
    int tlsPort = 0;

    @Option(names = "--tls-cert-file", paramLabel = "FILE", description = "PEM certificate (chain) of the TLS port.")
    Path tlsCertFile;

    @Option(
            names = "--tls-key-file",
            paramLabel = "FILE",
            description = "PEM private key of the TLS port, unencrypted PKCS#8 (BEGIN PRIVATE KEY).")
    Path tlsKeyFile;

    @Option(
            names = "--tls-ca-cert-file",
            paramLabel = "FILE",
            description = "PEM certificates of the CAs that must have signed a client's certificate "
                    + "(see --tls-auth-clients).")
    Path tlsCaCertFile;

    @Option(
            names = "--tls-ca-cert-dir",
            paramLabel = "DIR",
            description = "A directory of such PEM files (every file holding certificates is read).")
    Path tlsCaCertDir;

    @Option(
            names = "--tls-auth-clients",
            paramLabel = "yes|no|optional",
            description = "Whether a client on the TLS port must show a certificate signed by the CA (yes), may "
                    + "(optional: one shown must verify), or is not asked (no). Default: yes with a CA, else no.")
    String tlsAuthClients;

    @Option(
            names = "--tls-protocols",
            paramLabel = "\"TLSv1.2 TLSv1.3\"",
            description = "The TLS versions allowed, space-separated (default: the JDK's, TLSv1.2 and TLSv1.3).")
    String tlsProtocols = "";

    @Option(
            names = "--tls-ciphers",
            paramLabel = "SUITE:...",
            description = "TLS 1.2 cipher suites, colon-separated, OpenSSL's or IANA's names (default: the JDK's).")
    String tlsCiphers = "";

    @Option(
            names = "--tls-ciphersuites",
            paramLabel = "SUITE:...",
            description = "TLS 1.3 cipher suites, colon-separated, e.g. TLS_AES_256_GCM_SHA384 (default: the JDK's).")
    String tlsCiphersuites = "";

    @Option(
            names = "--tls-prefer-server-ciphers",
            paramLabel = "yes|no",
            arity = "1",
            converter = YesNo.class,
            description = "Choose the cipher suite by the server's order rather than the client's (default: no).")
    boolean tlsPreferServerCiphers;

    // split = "\n": ConfigFileDefaults hands repeated lines over joined by newlines, which no
    // value given on a command line contains; hideParamSyntax keeps that out of the help.
    @Option(
            names = "--write-filter",
            paramLabel = "NAME",
            split = "\n",
            hideParamSyntax = true,
            description = "Enables a write filter (repeatable; they run in order): a filter's name (built in: json) "
                    + "or a class implementing io.strata.server.filter.WriteFilter.")
    List<String> writeFilters = new ArrayList<>();

    @Option(
            names = "--write-filter-option",
            paramLabel = "FILTER.KEY=VALUE",
            split = "\n",
            hideParamSyntax = true,
            description =
                    "An option of an enabled write filter (repeatable), e.g. json.prefix=doc: or json.redact=password.")
    List<String> writeFilterOptions = new ArrayList<>();

    @Option(
            names = "--node-id",
            paramLabel = "ID",
            description =
                    "Runs this server as node ID of a Raft cluster (with --raft-port and --peers); without it the "
                            + "server is standalone.")
    String nodeId;

    @Option(names = "--raft-port", description = "Port of this node's Raft traffic (cluster mode).")
    int raftPort;

    @Option(
            names = "--peers",
            paramLabel = "ID=HOST:PORT,...",
            description = "The cluster's initial members with their Raft addresses, this node included, e.g. "
                    + "n1=127.0.0.1:9871,n2=127.0.0.1:9872,n3=127.0.0.1:9873. A node added later starts with only "
                    + "itself and is added with 'strata cluster add-node'.")
    String peers;

    @Option(
            names = "--raft-tls-cert-file",
            paramLabel = "FILE",
            description = "Cluster mode: mutual TLS between nodes (with --raft-tls-key-file and "
                    + "--raft-tls-ca-cert-file): this node's PEM certificate, signed by the cluster's CA.")
    Path raftTlsCertFile;

    @Option(
            names = "--raft-tls-key-file",
            paramLabel = "FILE",
            description = "Cluster mode: the certificate's PEM key, unencrypted PKCS#8 (BEGIN PRIVATE KEY).")
    Path raftTlsKeyFile;

    @Option(
            names = "--raft-tls-ca-cert-file",
            paramLabel = "FILE",
            description = "Cluster mode: the cluster's CA certificate; peers and admin clients must show a "
                    + "certificate it signed.")
    Path raftTlsCaCertFile;

    @Option(
            names = "--snapshot-threshold",
            description = "Cluster mode: entries applied since the last snapshot after which a new one is taken and "
                    + "the Raft log before it purged (default: ${DEFAULT-VALUE}).")
    long snapshotThreshold = ClusterSettings.DEFAULT_SNAPSHOT_THRESHOLD;

    @Option(
            names = "--raft-segment-size",
            description = "Cluster mode: Raft log segment size in bytes (default: ${DEFAULT-VALUE}).")
    long raftSegmentSize = ClusterSettings.DEFAULT_SEGMENT_SIZE;

    @Option(
            names = "--election-timeout",
            description = "Cluster mode: shortest election timeout in ms; the longest is twice it (default: "
                    + "${DEFAULT-VALUE}).")
    int electionTimeout = ClusterSettings.DEFAULT_ELECTION_TIMEOUT_MS;

    @Option(
            names = "--cluster-request-timeout",
            description = "Cluster mode: how long a write or a linearizable read waits for the group, in ms (default: "
                    + "${DEFAULT-VALUE}).")
    int clusterRequestTimeout = ClusterSettings.DEFAULT_REQUEST_TIMEOUT_MS;

    @Option(
            names = "--lease-reads",
            arity = "0..1",
            fallbackValue = "true",
            description = "Cluster mode: the leader serves reads under its lease, without a heartbeat round; faster, "
                    + "but correct only while clocks advance at similar rates (default: ${DEFAULT-VALUE}).")
    boolean leaseReads;

    @Option(
            names = "--join",
            arity = "0..1",
            fallbackValue = "true",
            description = "Cluster mode: this node is new; it starts outside the group and waits to be added with "
                    + "'strata cluster add-node' (default: ${DEFAULT-VALUE}).")
    boolean join;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ServerMain())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .execute(args));
    }

    /** The config file (--config or the argument), or null. */
    Path configFile() {
        if (configOption != null && configArgument != null) {
            throw usage("give the config file once: as the argument or with --config, not both");
        }
        return configOption != null ? configOption : configArgument;
    }

    ServerConfig config() {
        ServerConfig c = new ServerConfig().configFile(configFile());
        set("write-filter", () -> writeFilters.forEach(c::writeFilter));
        set(
                "write-filter-option",
                () -> WriteFilters.parseOptions(writeFilterOptions)
                        .forEach((f, opts) ->
                                opts.forEach((k, values) -> values.forEach(v -> c.writeFilterOption(f, k, v)))));
        set("dir", () -> c.dir(dir));
        set("checkpoint-dir", () -> c.checkpointDir(checkpointDir));
        set("bind", () -> c.bind(bind));
        set("port", () -> c.port(port));
        set("requirepass", () -> c.requirePass(requirePass));
        set("protected-mode", () -> c.protectedMode(protectedMode));
        set("rename-command", () -> {
            for (String r : renameCommands) {
                String[] names = RenameCommandValue.parse(r);
                c.renameCommand(names[0], names[1]);
            }
            CommandTable check = CommandTable.standard();
            c.renamedCommands().forEach(check::rename);
        });
        // A missing or bad ACL file is a usage error naming its file and line.
        set("aclfile", () -> {
            if (aclFile != null) {
                c.aclFile(aclFile);
                Acl.checkFile(aclFile, CommandTable.standard().catalog());
            }
        });
        set("enable-protected-configs", () -> c.enableProtectedConfigs(enableProtectedConfigs));
        set("maxclients", () -> c.maxClients(maxClients));
        set("timeout", () -> c.timeoutSeconds(timeout));
        set("busy-reply-threshold", () -> c.busyReplyThresholdMillis(busyReplyThreshold));
        set("notify-keyspace-events", () -> c.notifyKeyspaceEvents(notifyKeyspaceEvents));
        set("client-output-buffer-limit", () -> clientOutputBufferLimits.forEach(c::clientOutputBufferLimit));
        set("acl-pubsub-default", () -> c.aclPubsubDefault(ConfigValues.aclPubsubDefault(aclPubsubDefault)));
        set("sync", () -> c.sync(sync));
        set("proto-max-bulk-len", () -> c.protoMaxBulkLen(protoMaxBulkLen));
        set("io-threads", () -> c.ioThreads(ioThreads));
        set("worker-threads", () -> c.workerThreads(workerThreads));
        set("write-buffer-size", () -> c.writeBufferSize(writeBufferSize));
        set("block-cache-size", () -> c.blockCacheSize(blockCacheSize));
        set("compression", () -> c.compression(compression));
        set("compaction-threads", () -> c.compactionThreads(compactionThreads));
        set("metrics-port", () -> c.metricsPort(metricsPort));
        set("metrics-bind", () -> c.metricsBind(metricsBind));
        // A missing or empty token file is a usage error, as a missing certificate is.
        set("metrics-token-file", () -> {
            if (metricsTokenFile != null) {
                MetricsToken.read(metricsTokenFile);
                c.metricsTokenFile(metricsTokenFile);
            }
        });
        set("tls-port", () -> {
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
            } else if (tlsCertFile != null || tlsKeyFile != null) {
                throw new IllegalArgumentException(
                        "--tls-cert-file and --tls-key-file need --tls-port (a port above 0)");
            }
        });
        set("tls-auth-clients", () -> {
            if (tlsPort > 0) {
                c.tls(new TlsSettings(
                        tlsPort,
                        tlsCertFile,
                        tlsKeyFile,
                        tlsCaCertFile,
                        tlsCaCertDir,
                        tlsAuthClients == null ? null : TlsAuthClients.parse(tlsAuthClients),
                        tlsProtocols,
                        tlsCiphers,
                        tlsCiphersuites,
                        tlsPreferServerCiphers));
            } else if (tlsCaCertFile != null || tlsCaCertDir != null || tlsAuthClients != null) {
                throw new IllegalArgumentException(
                        "--tls-auth-clients, --tls-ca-cert-file and --tls-ca-cert-dir need --tls-port");
            }
        });
        set("node-id", () -> {
            if (nodeId == null) {
                if (peers != null || raftPort != 0) {
                    throw new IllegalArgumentException("--peers and --raft-port need --node-id (cluster mode)");
                }
                return;
            }
            if (peers == null || raftPort == 0) {
                throw new IllegalArgumentException("--node-id needs --raft-port and --peers");
            }
            c.cluster(new ClusterSettings(
                    nodeId,
                    raftPort,
                    peers,
                    snapshotThreshold,
                    raftSegmentSize,
                    electionTimeout,
                    clusterRequestTimeout,
                    leaseReads,
                    join));
        });
        set("raft-tls-cert-file", () -> {
            RaftTlsFiles files = RaftTlsFiles.ofOptional(raftTlsCertFile, raftTlsKeyFile, raftTlsCaCertFile);
            if (files != null) {
                if (nodeId == null) {
                    throw new IllegalArgumentException(
                            "--raft-tls-cert-file and the others need --node-id (cluster mode)");
                }
                files.check();
                c.raftTls(files);
            }
        });
        // Missing or bad certificate, key and CA files, unknown protocols and ciphers are usage
        // errors too; the message names the setting.
        if (c.tlsEnabled()) {
            try {
                ServerTls.context(c.tls());
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
        }
        // Unknown filters and options are usage errors: check them before anything starts.
        set(
                "write-filter",
                () -> WriteFilters.load(c.writeFilters(), c.writeFilterOptions(), ServerMain.class.getClassLoader()));
        return c;
    }

    /**
     * Applies one setting; its error becomes a usage error, prefixed with the config file's
     * "file:line: " when the value came from there.
     */
    private void set(String option, Runnable apply) {
        try {
            apply.run();
        } catch (IllegalArgumentException e) {
            throw usage(origin(option) + e.getMessage());
        }
    }

    /** "file:line: " if the option's value came from the config file, else "". */
    private String origin(String option) {
        if (spec == null || !(spec.defaultValueProvider() instanceof ConfigFileDefaults file)) {
            return "";
        }
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        if (parsed != null && parsed.hasMatchedOption("--" + option)) {
            return "";
        }
        return file.location(spec, option);
    }

    /** A usage error on the running command line (spec), so the message goes to its error stream. */
    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec != null ? spec.commandLine() : new CommandLine(this), message);
    }

    @Override
    public Integer call() {
        ServerConfig config = config();
        StrataServer server = new StrataServer(config, replication(config)).start();
        // SIGTERM and SIGINT stop the server gracefully, then call() returns and the process
        // exits with 0. A signal handler rather than a shutdown hook: hooks run concurrently
        // with each other (logging's among them) and the JVM would exit with 128+signal.
        // SIGHUP reloads the TLS certificate, key and CA from their files; a failure keeps the old
        // ones and is logged (ReloadableTls).
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> {
                log.info("SIGHUP received: reloading TLS");
                server.reloadTls();
            });
        } catch (IllegalArgumentException e) {
            log.debug("cannot handle SIGHUP: {}", e.getMessage());
        }
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

    /** The cluster's replication for a node started with --node-id; null for a standalone server. */
    private Replication replication(ServerConfig config) {
        if (config.cluster() == null) {
            return null;
        }
        for (ReplicationProvider p : ServiceLoader.load(ReplicationProvider.class, ServerMain.class.getClassLoader())) {
            try {
                return p.create(config);
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
        }
        throw usage("--node-id needs the cluster module (strata-cluster) on the class path");
    }

    /** yes/no (or true/false), as in Redis's config; the config file hands over true/false. */
    static final class YesNo implements CommandLine.ITypeConverter<Boolean> {
        @Override
        public Boolean convert(String value) {
            return switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "yes", "true" -> true;
                case "no", "false" -> false;
                default -> throw new CommandLine.TypeConversionException("expected yes or no, got '" + value + "'");
            };
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"strata server " + StrataServer.VERSION};
        }
    }
}
