package io.strata.server;

import io.strata.Compression;
import io.strata.Limits;
import io.strata.Options;
import io.strata.server.replication.ClusterSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The server's settings. Those CONFIG SET can change at run time are volatile: a command thread
 * writes them, every thread reads them. The others are set before the server starts and only
 * read afterwards, by threads that the start creates (which see everything written before).
 */
public final class ServerConfig {
    /** Redis's busy-reply-threshold default. */
    public static final long DEFAULT_BUSY_REPLY_THRESHOLD_MILLIS = 5000;

    /** Redis's default proto-max-bulk-len, above the engine's value limit, so never the effective default here. */
    public static final long REDIS_PROTO_MAX_BULK_LEN = 512L * 1024 * 1024;
    /** The largest proto-max-bulk-len this server accepts: the engine's value limit. */
    public static final long MAX_PROTO_MAX_BULK_LEN = Limits.MAX_VALUE_SIZE;

    private Path configFile;
    private Path dir = Path.of("data");
    private boolean enableProtectedConfigs;

    private String bind = "127.0.0.1";
    private int port = 6380;
    private boolean sync;
    private int ioThreads = 0;
    private int workerThreads = 0;
    /**
     * The engine settings users tune (write buffer, block cache, compression, compaction
     * threads), checked by the engine's own setters; the server adds the rest when it opens the
     * store ({@link #engineOptions()}).
     */
    private final Options engine = new Options();

    private int metricsPort = 0;
    /** Null: the bind address. */
    private String metricsBind;

    private Path metricsTokenFile;
    /** Null: no ACL file (ACL SAVE and LOAD refuse). */
    private Path aclFile;
    /** rename-command: old name → new name ("" removes the command), in the config file's order. */
    private final Map<String, String> renamedCommands = new LinkedHashMap<>();

    /** Null: no TLS listener. Volatile: a TLS reload ({@link ReloadableTls}) publishes the settings in use. */
    private volatile TlsSettings tls;
    /** Null: Raft traffic in plaintext. */
    private RaftTlsFiles raftTls;

    private final List<String> writeFilters = new ArrayList<>();
    private final Map<String, Map<String, List<String>>> writeFilterOptions = new LinkedHashMap<>();

    /** Null for a standalone server. */
    private ClusterSettings cluster;
    /** The clock expiries are measured on (epoch ms); thread-safe. Tests move it. */
    private LongSupplier clock = System::currentTimeMillis;

    private volatile String requirePass;
    private volatile boolean protectedMode = true;
    /** Null: {@link #defaultCheckpointDir}. CONFIG SET checkpoint-dir (a protected config) changes it. */
    private volatile Path checkpointDir;

    private volatile int maxClients = 10_000;
    private volatile long timeoutSeconds = 0;
    private volatile long busyReplyThresholdMillis = DEFAULT_BUSY_REPLY_THRESHOLD_MILLIS;
    private volatile long protoMaxBulkLen = MAX_PROTO_MAX_BULK_LEN;
    private volatile long protoMaxMultibulkLen = 1024L * 1024;
    private volatile long clientQueryBufferLimit = 1024L * 1024 * 1024;
    private volatile long keysLimit = 1_000_000;
    private volatile OutputBufferLimits outputBufferLimits = OutputBufferLimits.DEFAULTS;
    private volatile KeyspaceEvents.Flags notifyKeyspaceEvents = KeyspaceEvents.Flags.NONE;
    private boolean aclPubsubDefault;

    /** The config file the settings were read from (for the start line), or null. */
    public Path configFile() {
        return configFile;
    }

    public ServerConfig configFile(Path file) {
        this.configFile = file;
        return this;
    }

    public Path dir() {
        return dir;
    }

    public ServerConfig dir(Path dir) {
        this.dir = dir;
        return this;
    }

    /** Where STRATA.CHECKPOINT writes ({@link CheckpointPaths}); by default {@code checkpoints} beside the data dir. */
    public Path checkpointDir() {
        Path d = checkpointDir;
        return d != null ? d : defaultCheckpointDir(dir);
    }

    public ServerConfig checkpointDir(Path dir) {
        this.checkpointDir = dir;
        return this;
    }

    /**
     * {@code checkpoints} next to the data directory: outside it (the store owns what is inside),
     * and where an operator looking at the data directory finds it.
     */
    static Path defaultCheckpointDir(Path dataDir) {
        Path abs = dataDir.toAbsolutePath().normalize();
        return (abs.getParent() != null ? abs.getParent() : abs).resolve("checkpoints");
    }

    public String bind() {
        return bind;
    }

    public ServerConfig bind(String bind) {
        this.bind = bind;
        return this;
    }

    /** 0 picks a free port (tests). */
    public int port() {
        return port;
    }

    public ServerConfig port(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        this.port = port;
        return this;
    }

    /** Fsync the WAL before acknowledging each write (appendfsync always). */
    public boolean sync() {
        return sync;
    }

    public ServerConfig sync(boolean sync) {
        this.sync = sync;
        return this;
    }

    /** Threads doing socket I/O; 0 = the number of cores. */
    public int ioThreads() {
        return ioThreads > 0 ? ioThreads : Runtime.getRuntime().availableProcessors();
    }

    public ServerConfig ioThreads(int n) {
        this.ioThreads = n;
        return this;
    }

    /**
     * Threads running commands (each connection stays on one, so its commands run in order);
     * 0 = 4 per core, at least 8 (64 on a cluster node): writers that wait for the WAL (and its
     * fsync with --sync), or for the Raft log, block only their own thread, and concurrent ones
     * share one group commit.
     */
    public int workerThreads() {
        if (workerThreads > 0) {
            return workerThreads;
        }
        // A cluster node's write waits for a Raft round (a majority's fsync), far longer than a
        // group commit: more threads keep more connections' writes in flight.
        return cluster != null ? 64 : Math.max(8, 4 * Runtime.getRuntime().availableProcessors());
    }

    public ServerConfig workerThreads(int n) {
        this.workerThreads = n;
        return this;
    }

    public long writeBufferSize() {
        return engine.writeBufferSize();
    }

    public ServerConfig writeBufferSize(long bytes) {
        engine.writeBufferSize(bytes);
        return this;
    }

    public long blockCacheSize() {
        return engine.blockCacheSize();
    }

    /** Bytes of data blocks the engine caches; 0 = no block cache. */
    public ServerConfig blockCacheSize(long bytes) {
        engine.blockCacheSize(bytes);
        return this;
    }

    public Compression compression() {
        return engine.compression();
    }

    /** How new table blocks are compressed (tables written before stay readable). */
    public ServerConfig compression(Compression compression) {
        engine.compression(compression);
        return this;
    }

    public int compactionThreads() {
        return engine.compactionThreads();
    }

    public ServerConfig compactionThreads(int count) {
        engine.compactionThreads(count);
        return this;
    }

    /** Fresh engine options with these settings, {@link #sync()} and nothing else set. */
    Options engineOptions() {
        return new Options()
                .writeBufferSize(writeBufferSize())
                .blockCacheSize(blockCacheSize())
                .compression(compression())
                .compactionThreads(compactionThreads())
                .syncWal(sync);
    }

    /** The HTTP port of the Prometheus endpoint (GET /metrics) on the bind address; 0 = no metrics. */
    public int metricsPort() {
        return metricsPort;
    }

    public ServerConfig metricsPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("metrics port must be 0..65535, got " + port);
        }
        this.metricsPort = port;
        return this;
    }

    /** The address of the metrics endpoint; by default the server's {@link #bind()} address. */
    public String metricsBind() {
        return metricsBind != null ? metricsBind : bind;
    }

    public ServerConfig metricsBind(String address) {
        this.metricsBind = address;
        return this;
    }

    /** A file holding the bearer token GET /metrics must carry ({@link MetricsToken}); null = no token. */
    public Path metricsTokenFile() {
        return metricsTokenFile;
    }

    public ServerConfig metricsTokenFile(Path file) {
        this.metricsTokenFile = file;
        return this;
    }

    /**
     * Serves TLS on a second port as well: {@code certFile} is the PEM certificate chain,
     * {@code keyFile} its unencrypted PEM private key (PKCS#8, "BEGIN PRIVATE KEY"); port 0 picks
     * a free port (tests); clients are not asked for certificates. Without this (the default)
     * there is no TLS listener.
     */
    public ServerConfig tls(int port, Path certFile, Path keyFile) {
        return tls(TlsSettings.of(port, certFile, keyFile));
    }

    /** Serves TLS on a second port with these settings (client certificates, protocols, ciphers); null: none. */
    public ServerConfig tls(TlsSettings settings) {
        this.tls = settings;
        return this;
    }

    /** The TLS listener's settings in use, or null when there is no TLS listener. */
    public TlsSettings tls() {
        return tls;
    }

    /** True when a TLS listener is configured ({@link #tls}). */
    public boolean tlsEnabled() {
        return tls != null;
    }

    /**
     * Mutual TLS for a cluster node's Raft traffic ({@code --raft-tls-*}): the certificate and key
     * this node shows its peers, and the cluster's CA, whose certificate every peer must show; null:
     * plaintext (the default).
     */
    public RaftTlsFiles raftTls() {
        return raftTls;
    }

    public ServerConfig raftTls(RaftTlsFiles files) {
        this.raftTls = files;
        return this;
    }

    /**
     * Enables a write filter (a {@code WriteFilter}'s name, or a class name); filters run in the
     * order enabled.
     */
    public ServerConfig writeFilter(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("write filter name must not be empty");
        }
        writeFilters.add(name);
        return this;
    }

    /** One option of an enabled write filter; an option given twice has two values. */
    public ServerConfig writeFilterOption(String filter, String key, String value) {
        writeFilterOptions
                .computeIfAbsent(filter, f -> new LinkedHashMap<>())
                .computeIfAbsent(key, k -> new ArrayList<>())
                .add(value);
        return this;
    }

    public List<String> writeFilters() {
        return List.copyOf(writeFilters);
    }

    public Map<String, Map<String, List<String>>> writeFilterOptions() {
        Map<String, Map<String, List<String>>> copy = new LinkedHashMap<>();
        writeFilterOptions.forEach((f, opts) -> {
            Map<String, List<String>> o = new LinkedHashMap<>();
            opts.forEach((k, v) -> o.put(k, List.copyOf(v)));
            copy.put(f, o);
        });
        return copy;
    }

    /** The clock expiries are measured on, in epoch milliseconds: the system's, unless a test sets one. */
    public LongSupplier clock() {
        return clock;
    }

    /** For tests (a cluster node whose clock is skewed): must be thread-safe. */
    public ServerConfig clock(LongSupplier c) {
        this.clock = java.util.Objects.requireNonNull(c, "clock");
        return this;
    }

    /** The cluster settings; null for a standalone server. */
    public ClusterSettings cluster() {
        return cluster;
    }

    public ServerConfig cluster(ClusterSettings settings) {
        this.cluster = settings;
        return this;
    }

    /** The ACL file (Redis's aclfile) the users are loaded from at the start and by ACL LOAD; null for none. */
    public Path aclFile() {
        return aclFile;
    }

    public ServerConfig aclFile(Path file) {
        this.aclFile = file;
        return this;
    }

    /** The commands renamed (or, to "", removed) by rename-command, old name → new name. */
    public Map<String, String> renamedCommands() {
        return java.util.Collections.unmodifiableMap(renamedCommands);
    }

    /**
     * Redis's {@code rename-command from to}: the command answers only to {@code to}, or to no
     * name if {@code to} is empty (checked against the command table when the server is built).
     */
    public ServerConfig renameCommand(String from, String to) {
        if (renamedCommands.putIfAbsent(from.toLowerCase(java.util.Locale.ROOT), to) != null) {
            throw new IllegalArgumentException("rename-command: '" + from + "' is renamed twice");
        }
        return this;
    }

    /** The password of the default user, or null/empty for none. */
    public String requirePass() {
        String p = requirePass;
        return p == null || p.isEmpty() ? null : p;
    }

    public ServerConfig requirePass(String pass) {
        this.requirePass = pass;
        return this;
    }

    /** Redis's protected mode ({@link ProtectedMode}); on by default, as in Redis. */
    public boolean protectedMode() {
        return protectedMode;
    }

    public ServerConfig protectedMode(boolean on) {
        this.protectedMode = on;
        return this;
    }

    /**
     * Whether CONFIG SET may change the parameters that name files and directories (Redis 7's
     * enable-protected-configs); off by default. Fixed before start.
     */
    public boolean enableProtectedConfigs() {
        return enableProtectedConfigs;
    }

    public ServerConfig enableProtectedConfigs(boolean on) {
        this.enableProtectedConfigs = on;
        return this;
    }

    public int maxClients() {
        return maxClients;
    }

    public ServerConfig maxClients(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("maxclients must be at least 1, got " + n);
        }
        this.maxClients = n;
        return this;
    }

    /** Seconds a client may stay idle before it is disconnected; 0 = never. */
    public long timeoutSeconds() {
        return timeoutSeconds;
    }

    public ServerConfig timeoutSeconds(long s) {
        if (s < 0) {
            throw new IllegalArgumentException("timeout must not be negative, got " + s);
        }
        this.timeoutSeconds = s;
        return this;
    }

    /**
     * Milliseconds a script may run before other connections are answered BUSY (Redis's
     * busy-reply-threshold, formerly lua-time-limit); 0 = at once.
     */
    public long busyReplyThresholdMillis() {
        return busyReplyThresholdMillis;
    }

    public ServerConfig busyReplyThresholdMillis(long ms) {
        if (ms < 0) {
            throw new IllegalArgumentException("busy-reply-threshold must not be negative, got " + ms);
        }
        this.busyReplyThresholdMillis = ms;
        return this;
    }

    public long protoMaxBulkLen() {
        return protoMaxBulkLen;
    }

    /** At most the engine's 64 MiB value limit; a larger value is refused. */
    public ServerConfig protoMaxBulkLen(long bytes) {
        if (bytes < 1024 * 1024) {
            throw new IllegalArgumentException("proto-max-bulk-len must be at least 1048576, got " + bytes);
        }
        if (bytes > MAX_PROTO_MAX_BULK_LEN) {
            throw new IllegalArgumentException("proto-max-bulk-len must not exceed " + MAX_PROTO_MAX_BULK_LEN
                    + " (the engine's value limit), got " + bytes);
        }
        this.protoMaxBulkLen = bytes;
        return this;
    }

    public long protoMaxMultibulkLen() {
        return protoMaxMultibulkLen;
    }

    public ServerConfig protoMaxMultibulkLen(long n) {
        if (n < 1 || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "proto-max-multibulk-len must be 1.." + Integer.MAX_VALUE + ", got " + n);
        }
        this.protoMaxMultibulkLen = n;
        return this;
    }

    public long clientQueryBufferLimit() {
        return clientQueryBufferLimit;
    }

    public ServerConfig clientQueryBufferLimit(long bytes) {
        if (bytes < 1024 * 1024) {
            throw new IllegalArgumentException("client-query-buffer-limit must be at least 1048576, got " + bytes);
        }
        this.clientQueryBufferLimit = bytes;
        return this;
    }

    /** The most keys one KEYS call may return; past it KEYS fails and points to SCAN. */
    public long keysLimit() {
        return keysLimit;
    }

    public ServerConfig keysLimit(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("keys-limit must be at least 1, got " + n);
        }
        this.keysLimit = n;
        return this;
    }

    /** client-output-buffer-limit ({@link OutputBufferLimits}). */
    OutputBufferLimits outputBufferLimits() {
        return outputBufferLimits;
    }

    /**
     * client-output-buffer-limit: {@code class hard soft seconds}, repeated; the classes it does not
     * name keep their limits (as Redis's CONFIG SET and config file lines).
     */
    public ServerConfig clientOutputBufferLimit(String value) {
        this.outputBufferLimits = outputBufferLimits.with(value);
        return this;
    }

    /** acl-pubsub-default at the start (CONFIG SET changes the ACL's own): true for allchannels. */
    public boolean aclPubsubDefault() {
        return aclPubsubDefault;
    }

    public ServerConfig aclPubsubDefault(boolean allChannels) {
        this.aclPubsubDefault = allChannels;
        return this;
    }

    /** notify-keyspace-events ({@link KeyspaceEvents}). */
    KeyspaceEvents.Flags notifyKeyspaceEvents() {
        return notifyKeyspaceEvents;
    }

    /** notify-keyspace-events: Redis's flag letters (K E g $ x e n t m d A), "" for none. */
    public ServerConfig notifyKeyspaceEvents(String flags) {
        this.notifyKeyspaceEvents = KeyspaceEvents.Flags.parse(flags);
        return this;
    }
}
