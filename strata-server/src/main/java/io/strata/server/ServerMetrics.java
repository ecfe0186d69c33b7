package io.strata.server;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.strata.Statistics;
import io.strata.StrataDb;
import io.strata.server.replication.Replication;
import io.strata.server.replication.ReplicationStats;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's metrics in a Micrometer registry, served in Prometheus's text format at
 * {@code GET /metrics} on the metrics port (on --metrics-bind, by default the server's bind
 * address; with --metrics-token-file only for requests bearing the token). With no metrics
 * port nothing is recorded: {@link #DISABLED} costs a field read per command.
 *
 * <p>Per command (by its lower-case name; names the server does not know count as
 * {@code unknown}, so a client cannot create series at will): a counter of calls, a counter of
 * error replies, and a timer with a percentile histogram. Per server: connections, bytes in and
 * out, keyspace hits and misses, protocol errors. Per engine: the {@link Statistics} snapshot,
 * taken once per scrape, and the block cache's properties. Per cluster node (a server with a
 * {@link Replication}): its {@link ReplicationStats}, also read once per scrape. Plus the JVM's
 * memory, GC, threads, CPU and uptime.
 */
final class ServerMetrics {
    private static final Logger log = LoggerFactory.getLogger(ServerMetrics.class);
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** Records nothing. */
    static final ServerMetrics DISABLED = new ServerMetrics();

    // Commands record from every command thread, scrapes run on the HTTP thread, start and stop
    // on their callers' threads.

    /** Thread-safe (Micrometer's registry); null in {@link #DISABLED}. */
    private final PrometheusMeterRegistry registry;

    private final ConcurrentHashMap<String, CommandMeters> commands = new ConcurrentHashMap<>();
    private final StrataDb db;
    /** What requests must carry; null: none (and in {@link #DISABLED}). */
    private final MetricsToken token;
    /** The snapshot a scrape takes and its gauges then read. */
    private volatile Statistics engine;

    /** A cluster node's replication; null for a standalone server. */
    private final Replication replication;
    /** The reading a scrape takes and the cluster gauges then read; null for a standalone server. */
    private volatile ReplicationStats cluster;

    @GuardedBy("this")
    private JvmGcMetrics gcMetrics;

    @GuardedBy("this")
    private HttpServer http;

    @GuardedBy("this")
    private ExecutorService httpThread;

    private record CommandMeters(Counter calls, Counter errors, Timer latency) {}

    private ServerMetrics() {
        this.registry = null;
        this.db = null;
        this.replication = null;
        this.token = null;
    }

    private ServerMetrics(StrataServer server, StrataDb db, MetricsToken token) {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.db = db;
        this.token = token;
        this.engine = db.statistics();
        this.replication = server.replication();
        bindServer(server);
        bindEngine();
        if (replication != null) {
            cluster = replication.stats();
            bindCluster();
        }
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(registry);
    }

    /**
     * Starts the registry and its HTTP endpoint on {@code bind:port}; with port 0, returns
     * {@link #DISABLED}.
     *
     * @param token what every request must carry as its bearer token, or null for none
     */
    static ServerMetrics start(StrataServer server, StrataDb db, String bind, int port, MetricsToken token)
            throws IOException {
        if (port == 0) {
            return DISABLED;
        }
        ServerMetrics m = new ServerMetrics(server, db, token);
        try {
            m.serve(bind, port);
        } catch (IOException | RuntimeException e) {
            m.close();
            throw e;
        }
        return m;
    }

    boolean enabled() {
        return registry != null;
    }

    /** The bound HTTP port, or 0 when disabled. */
    synchronized int port() {
        return http == null ? 0 : http.getAddress().getPort();
    }

    // ---- commands ----

    /** Records one command: {@code name} is its table name or "unknown". */
    void command(String name, long nanos, boolean error) {
        CommandMeters m = commands.get(name);
        if (m == null) {
            m = commands.computeIfAbsent(name, this::newCommandMeters);
        }
        m.calls.increment();
        if (error) {
            m.errors.increment();
        }
        m.latency.record(nanos, TimeUnit.NANOSECONDS);
    }

    private CommandMeters newCommandMeters(String name) {
        return new CommandMeters(
                Counter.builder("strata.commands")
                        .description("Commands executed, by name")
                        .tag("command", name)
                        .register(registry),
                Counter.builder("strata.command.errors")
                        .description("Commands that replied with an error, by name")
                        .tag("command", name)
                        .register(registry),
                Timer.builder("strata.command.duration")
                        .description("Time from a command's parse to its reply being encoded (for batched writes: to "
                                + "their commit)")
                        .tag("command", name)
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofNanos(10_000))
                        .maximumExpectedValue(Duration.ofSeconds(10))
                        .register(registry));
    }

    // ---- server ----

    private void bindServer(StrataServer server) {
        ServerStats st = server.stats();
        Gauge.builder("strata.connected.clients", server, StrataServer::connectedClients)
                .description("Client connections open now")
                .register(registry);
        counter("strata.connections.received", st.connectionsReceived, "Connections accepted", null);
        counter(
                "strata.connections.rejected",
                st.rejectedConnections,
                "Connections refused (maxclients, protected mode)",
                null);
        counter("strata.net.input", st.netInputBytes, "Bytes read from clients", "bytes");
        counter("strata.net.output", st.netOutputBytes, "Bytes of replies written to clients", "bytes");
        counter("strata.keyspace.hits", st.keyspaceHits, "Reads that found their key", null);
        counter("strata.keyspace.misses", st.keyspaceMisses, "Reads that did not find their key", null);
        counter("strata.auth.failures", st.authFailures, "Failed AUTH attempts", null);
        counter("strata.protocol.errors", st.protocolErrors, "Connections closed for a protocol error", null);
        counter("strata.idle.timeouts", st.idleTimeouts, "Connections closed for idling", null);
    }

    /** A counter over one of the server's adders (CONFIG RESETSTAT resets it: a counter reset to Prometheus). */
    private void counter(String name, LongAdder adder, String description, String unit) {
        FunctionCounter.builder(name, adder, LongAdder::sum)
                .description(description)
                .baseUnit(unit)
                .register(registry);
    }

    // ---- engine ----

    private void bindEngine() {
        engineGauge("strata.engine.memtable", s -> s.memtableBytes(), "Bytes in the memtables", "bytes");
        engineGauge(
                "strata.engine.immutable.memtables",
                s -> s.immutableMemtables(),
                "Full memtables waiting for flush",
                null);
        engineGauge("strata.engine.last.sequence", s -> s.lastSequence(), "The last sequence number written", null);
        engineGauge(
                "strata.engine.write.amplification",
                Statistics::writeAmplification,
                "Bytes written to tables per byte flushed",
                null);
        for (int level = 0; level < engine.filesPerLevel().size(); level++) {
            int l = level;
            Gauge.builder(
                            "strata.engine.level.files",
                            this,
                            m -> m.engine.filesPerLevel().get(l))
                    .description("Table files per level")
                    .tag("level", Integer.toString(l))
                    .register(registry);
            Gauge.builder(
                            "strata.engine.level.size",
                            this,
                            m -> m.engine.bytesPerLevel().get(l))
                    .description("Table bytes per level")
                    .tag("level", Integer.toString(l))
                    .baseUnit("bytes")
                    .register(registry);
        }
        engineCounter("strata.engine.ingested", s -> s.bytesIngested(), "Bytes written to the WAL", "bytes");
        engineCounter("strata.engine.flushes", s -> s.flushes(), "Memtable flushes", null);
        engineCounter("strata.engine.flush.written", s -> s.flushBytes(), "Bytes written by flushes", "bytes");
        engineCounter("strata.engine.flush.failures", s -> s.flushFailures(), "Failed flush attempts", null);
        engineCounter("strata.engine.compactions", s -> s.compactions(), "Compactions", null);
        engineCounter(
                "strata.engine.compaction.read", s -> s.compactionBytesRead(), "Bytes read by compactions", "bytes");
        engineCounter(
                "strata.engine.compaction.written",
                s -> s.compactionBytesWritten(),
                "Bytes written by compactions",
                "bytes");
        engineCounter(
                "strata.engine.compaction.failures", s -> s.compactionFailures(), "Failed compaction attempts", null);
        for (int i = 0; i < Statistics.STALL_REASONS.size(); i++) {
            int r = i;
            Tags reason = Tags.of("reason", Statistics.STALL_REASONS.get(i));
            FunctionCounter.builder(
                            "strata.engine.stall.writes",
                            this,
                            m -> m.engine.stallWrites().get(r))
                    .description("Writes that waited, by reason")
                    .tags(reason)
                    .register(registry);
            FunctionCounter.builder(
                            "strata.engine.stall",
                            this,
                            m -> m.engine.stallMillis().get(r) / 1000.0)
                    .description("Time writes waited, by reason")
                    .baseUnit("seconds")
                    .tags(reason)
                    .register(registry);
        }
        Gauge.builder("strata.engine.live.sst.size", this, m -> property(m.db, "strata.live-sst-bytes"))
                .description("Bytes of the live table files")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("strata.engine.block.cache.hit.ratio", this, m -> property(m.db, "strata.block-cache-hit-ratio"))
                .description("Block cache hits per lookup since the store opened")
                .register(registry);
        Gauge.builder("strata.engine.block.cache.usage", this, m -> property(m.db, "strata.block-cache-usage"))
                .description("Bytes in the block cache")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("strata.engine.open.tables", this, m -> property(m.db, "strata.open-tables"))
                .description("Table files open in the table cache")
                .register(registry);
    }

    private void engineGauge(String name, ToDoubleFunction<Statistics> f, String description, String unit) {
        Gauge.builder(name, this, m -> f.applyAsDouble(m.engine))
                .description(description)
                .baseUnit(unit)
                .register(registry);
    }

    private void engineCounter(String name, ToDoubleFunction<Statistics> f, String description, String unit) {
        FunctionCounter.builder(name, this, m -> f.applyAsDouble(m.engine))
                .description(description)
                .baseUnit(unit)
                .register(registry);
    }

    /** A numeric engine property; NaN if absent or unreadable (the store is closing). */
    private static double property(StrataDb db, String name) {
        try {
            String v = db.getProperty(name);
            return v == null ? Double.NaN : Double.parseDouble(v.trim().replace(',', '.'));
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    // ---- cluster ----

    private void bindCluster() {
        for (String role : ReplicationStats.ROLES) {
            Gauge.builder("strata.cluster.role", this, m -> role.equals(m.cluster.role()) ? 1 : 0)
                    .description("1 for this node's Raft role now, 0 for the others")
                    .tag("role", role)
                    .register(registry);
        }
        clusterGauge("strata.cluster.term", ReplicationStats::term, "The current Raft term");
        clusterGauge(
                "strata.cluster.commit.index",
                ReplicationStats::commitIndex,
                "The highest log index this node knows to be committed");
        clusterGauge(
                "strata.cluster.applied.index",
                ReplicationStats::appliedIndex,
                "The highest log index this node has applied");
        clusterGauge("strata.cluster.apply.lag", ReplicationStats::applyLag, "Committed log entries not applied yet");
        clusterGauge(
                "strata.cluster.healthy",
                s -> s.healthy() ? 1 : 0,
                "1 while this node applies the log, 0 once it stopped (see STRATA.CLUSTER INFO)");
        clusterCounter("strata.cluster.snapshots.taken", ReplicationStats::snapshotsTaken, "Snapshots taken");
        clusterCounter(
                "strata.cluster.snapshot.installs",
                ReplicationStats::snapshotInstalls,
                "Snapshots installed from a leader");
        clusterCounter("strata.cluster.leader.changes", ReplicationStats::leaderChanges, "Leader changes seen");
        clusterCounter(
                "strata.cluster.entries.applied",
                ReplicationStats::entriesApplied,
                "Log entries applied to the engine");
        clusterCounter(
                "strata.cluster.entries.rejected",
                ReplicationStats::entriesRejected,
                "Log entries refused when applied: evaluated by a leader of an earlier term");
    }

    private void clusterGauge(String name, ToDoubleFunction<ReplicationStats> f, String description) {
        Gauge.builder(name, this, m -> f.applyAsDouble(m.cluster))
                .description(description)
                .register(registry);
    }

    private void clusterCounter(String name, ToDoubleFunction<ReplicationStats> f, String description) {
        FunctionCounter.builder(name, this, m -> f.applyAsDouble(m.cluster))
                .description(description)
                .register(registry);
    }

    /** The text a scrape returns, with a fresh engine snapshot (and replication reading). */
    String scrape() {
        try {
            engine = db.statistics();
        } catch (RuntimeException e) {
            log.debug("engine statistics unavailable: {}", e.toString());
        }
        if (replication != null) {
            cluster = replication.stats();
        }
        return registry.scrape();
    }

    // ---- HTTP ----

    private synchronized void serve(String bind, int port) throws IOException {
        http = HttpServer.create(new InetSocketAddress(bind, port), 16);
        httpThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "strata-metrics");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(httpThread);
        http.createContext("/", this::handle);
        http.start();
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (token != null && !token.accepts(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"strata metrics\"");
                reply(ex, 401, "text/plain; charset=utf-8", "Unauthorized: a bearer token is required\n", true);
            } else if (!path.equals("/metrics")) {
                reply(ex, 404, "text/plain; charset=utf-8", "Not found: metrics are at /metrics\n", true);
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                reply(ex, 405, "text/plain; charset=utf-8", "Method not allowed\n", true);
            } else {
                reply(ex, 200, CONTENT_TYPE, scrape(), method.equals("GET"));
            }
        } catch (RuntimeException e) {
            log.warn("metrics request failed", e);
        } finally {
            ex.close();
        }
    }

    private static void reply(HttpExchange ex, int status, String type, String body, boolean withBody)
            throws IOException {
        byte[] data = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, withBody ? data.length : -1);
        if (withBody) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(data);
            }
        }
    }

    /** Stops the endpoint (before the store closes: its gauges read the store). */
    synchronized void close() {
        if (http != null) {
            http.stop(0);
            http = null;
        }
        if (httpThread != null) {
            httpThread.shutdownNow();
            httpThread = null;
        }
        if (gcMetrics != null) {
            gcMetrics.close();
            gcMetrics = null;
        }
        if (registry != null) {
            registry.close();
        }
    }
}
