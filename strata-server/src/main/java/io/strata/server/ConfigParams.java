package io.strata.server;

import static io.strata.server.ConfigValues.aclPubsubDefault;
import static io.strata.server.ConfigValues.nonNull;
import static io.strata.server.ConfigValues.toBool;
import static io.strata.server.ConfigValues.toInt;
import static io.strata.server.ConfigValues.toLong;
import static io.strata.server.ConfigValues.toMemory;
import static io.strata.server.ConfigValues.toPath;
import static io.strata.server.ConfigValues.yesNo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every parameter CONFIG GET shows and CONFIG SET may change, by name (besides TLS's, in
 * {@link TlsParams}): Strata's settings under Redis's names and its own (strata-*), then the Redis
 * parameters that mean nothing here ({@link NoEffectConfig}). Filled once, then only read.
 */
final class ConfigParams {
    private ConfigParams() {}

    /**
     * A CONFIG parameter: how to read it and, if CONFIG SET may change it, how to set it. A
     * protected one (Redis 7's PROTECTED_CONFIG: it names files on disk, so a client that may
     * set it could make the server read or write where it chooses) is refused by CONFIG SET
     * unless the server runs with --enable-protected-configs yes.
     */
    record Param(
            java.util.function.Function<StrataServer, String> get,
            java.util.function.BiConsumer<StrataServer, String> set,
            boolean isProtected) {
        Param(
                java.util.function.Function<StrataServer, String> get,
                java.util.function.BiConsumer<StrataServer, String> set) {
            this(get, set, false);
        }

        /** A parameter naming a file or directory. */
        static Param path(
                java.util.function.Function<StrataServer, String> get,
                java.util.function.BiConsumer<StrataServer, String> set) {
            return new Param(get, set, true);
        }
    }

    static final Map<String, Param> PARAMS = new LinkedHashMap<>();

    static {
        PARAMS.put("bind", new Param(s -> s.config().bind(), null));
        PARAMS.put("port", new Param(s -> Integer.toString(s.port()), (s, v) -> s.listenOn(toInt(v))));
        PARAMS.put("dir", Param.path(s -> s.config().dir().toAbsolutePath().toString(), null));
        PARAMS.put(
                "checkpoint-dir",
                Param.path(
                        s -> s.config().checkpointDir().toAbsolutePath().toString(),
                        (s, v) -> s.config().checkpointDir(toPath(v))));
        PARAMS.put("aclfile", Param.path(s -> nonNull(s.config().aclFile()), null));
        PARAMS.put("enable-protected-configs", new Param(s -> yesNo(s.config().enableProtectedConfigs()), null));
        PARAMS.put("databases", new Param(s -> "1", null));
        PARAMS.put("requirepass", new Param(s -> nonNull(s.config().requirePass()), (s, v) -> {
            s.config().requirePass(v);
            s.acl().requirePass(v);
        }));
        PARAMS.put(
                "protected-mode",
                new Param(
                        s -> yesNo(s.config().protectedMode()),
                        (s, v) -> s.config().protectedMode(toBool(v))));
        PARAMS.put(
                "maxclients",
                new Param(
                        s -> Integer.toString(s.config().maxClients()),
                        (s, v) -> s.config().maxClients(toInt(v))));
        PARAMS.put(
                "timeout",
                new Param(
                        s -> Long.toString(s.config().timeoutSeconds()),
                        (s, v) -> s.config().timeoutSeconds(toLong(v))));
        for (String name : List.of("busy-reply-threshold", "lua-time-limit")) {
            PARAMS.put(
                    name,
                    new Param(
                            s -> Long.toString(s.config().busyReplyThresholdMillis()),
                            (s, v) -> s.config().busyReplyThresholdMillis(toLong(v))));
        }
        PARAMS.put(
                "proto-max-bulk-len",
                new Param(
                        s -> Long.toString(s.config().protoMaxBulkLen()),
                        (s, v) -> s.config().protoMaxBulkLen(toMemory(v))));
        PARAMS.put(
                "client-query-buffer-limit",
                new Param(
                        s -> Long.toString(s.config().clientQueryBufferLimit()),
                        (s, v) -> s.config().clientQueryBufferLimit(toMemory(v))));
        PARAMS.put(
                "client-output-buffer-limit",
                new Param(
                        s -> s.config().outputBufferLimits().describe(),
                        (s, v) -> s.config().clientOutputBufferLimit(v)));
        PARAMS.put(
                "notify-keyspace-events",
                new Param(
                        s -> s.config().notifyKeyspaceEvents().describe(),
                        (s, v) -> s.config().notifyKeyspaceEvents(v)));
        PARAMS.put(
                "acl-pubsub-default",
                new Param(
                        s -> s.acl().newUsersGetAllChannels() ? "allchannels" : "resetchannels",
                        (s, v) -> s.acl().newUsersGetAllChannels(aclPubsubDefault(v))));
        PARAMS.put(
                "strata-proto-max-multibulk-len",
                new Param(
                        s -> Long.toString(s.config().protoMaxMultibulkLen()),
                        (s, v) -> s.config().protoMaxMultibulkLen(toLong(v))));
        PARAMS.put(
                "strata-keys-limit",
                new Param(
                        s -> Long.toString(s.config().keysLimit()),
                        (s, v) -> s.config().keysLimit(toLong(v))));
        // Every acknowledged write is already in the WAL: snapshots are not needed for
        // durability, so "save" is accepted and remembered but has no effect.
        PARAMS.put("save", new Param(StrataServer::saveParam, StrataServer::saveParam));
        PARAMS.put("appendonly", new Param(s -> "yes", null));
        PARAMS.put("appendfsync", new Param(s -> s.config().sync() ? "always" : "no", null));
        PARAMS.put("io-threads", new Param(s -> Integer.toString(s.config().ioThreads()), null));
        PARAMS.put(
                "strata-worker-threads",
                new Param(s -> Integer.toString(s.config().workerThreads()), null));
        PARAMS.put(
                "strata-write-filters",
                new Param(s -> String.join(" ", s.keyspace().filters().names()), null));
        PARAMS.put(
                "strata-metrics-port",
                new Param(s -> Integer.toString(s.metrics().port()), null));
        PARAMS.put(
                "strata-write-buffer-size",
                new Param(s -> Long.toString(s.config().writeBufferSize()), null));
        PARAMS.put(
                "slowlog-log-slower-than",
                new Param(
                        s -> Long.toString(s.slowLog().slowerThanMicros()),
                        (s, v) -> s.slowLog().slowerThanMicros(toLong(v))));
        PARAMS.put(
                "slowlog-max-len",
                new Param(
                        s -> Integer.toString(s.slowLog().maxLen()),
                        (s, v) -> s.slowLog().maxLen(toInt(v))));
        PARAMS.put(
                "latency-tracking",
                new Param(
                        s -> yesNo(s.latencyTracking().enabled()),
                        (s, v) -> s.latencyTracking().enabled(toBool(v))));
        PARAMS.put(
                "latency-tracking-info-percentiles",
                new Param(
                        s -> s.latencyTracking().describe(),
                        (s, v) -> s.latencyTracking().percentiles(v)));
        NoEffectConfig.DEFAULTS.forEach((name, p) -> PARAMS.putIfAbsent(
                name,
                new Param(
                        s -> s.noEffectConfig().get(name),
                        p.mutable() ? (s, v) -> s.noEffectConfig().set(name, v) : null)));
    }
}
