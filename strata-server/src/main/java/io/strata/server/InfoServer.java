package io.strata.server;

import java.util.concurrent.TimeUnit;

/** INFO server: Redis 7.2's fields (those about Redis's build as a Redis of this version shows them), and Strata's. */
final class InfoServer {
    private InfoServer() {}

    static void append(InfoText out, Request r) {
        StrataServer s = r.server;
        long now = System.currentTimeMillis();
        long uptime = (now - s.startMillis()) / 1000;
        out.title("Server")
                .line("redis_version", StrataServer.REDIS_VERSION)
                .line("strata_version", StrataServer.VERSION)
                .line("redis_git_sha1", "00000000")
                .line("redis_git_dirty", 0)
                .line("redis_build_id", "0")
                .line("redis_mode", "standalone")
                .line(
                        "os",
                        System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                                + System.getProperty("os.arch"))
                .line("arch_bits", System.getProperty("sun.arch.data.model", "64"))
                .line("monotonic_clock", "System.nanoTime")
                .line("multiplexing_api", "netty-nio")
                .line("atomicvar_api", "java.util.concurrent")
                .line("gcc_version", "0.0.0")
                .line("java_version", System.getProperty("java.version"))
                .line("process_id", ProcessHandle.current().pid())
                .line("process_supervised", "no")
                .line("run_id", s.runId())
                .line("tcp_port", s.port())
                .line("server_time_usec", TimeUnit.MILLISECONDS.toMicros(now))
                .line("uptime_in_seconds", uptime)
                .line("uptime_in_days", uptime / 86400)
                .line("hz", 10)
                .line("configured_hz", 10)
                // Redis's LRU clock: seconds, 24 bits
                .line("lru_clock", (now / 1000) & ((1 << 24) - 1))
                .line("executable", "")
                .line("config_file", "")
                .line("io_threads_active", 0);
    }
}
