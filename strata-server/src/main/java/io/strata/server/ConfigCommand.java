package io.strata.server;

import io.strata.server.util.Glob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CONFIG GET pattern [pattern ...], CONFIG SET parameter value [parameter value ...], CONFIG
 * RESETSTAT, REWRITE, HELP. A CONFIG SET of several parameters is all or nothing, as in Redis 7:
 * every name is checked first (known, settable, not protected, not twice), then each value is
 * applied in turn and, if one is refused, those applied before it are set back to what they were.
 * TLS's parameters change together, last, in one new TLS context. Setting a parameter to the value
 * it has is accepted and changes nothing, even for one CONFIG SET cannot change (so a tool may set
 * back every value CONFIG GET showed).
 */
final class ConfigCommand {
    private ConfigCommand() {}

    private static CommandError setFailed(String name, String why) {
        return new CommandError("ERR CONFIG SET failed (possibly related to argument '" + name + "') - " + why);
    }

    /**
     * A tls-* parameter CONFIG SET may change: not tls-port, only with a TLS listener, and a value
     * of the right kind (tried on a copy of the settings, so that the error names this parameter).
     */
    private static void checkTls(StrataServer server, String name, String value) {
        TlsParams.Param p = TlsParams.PARAMS.get(name);
        if (p.set() == null) {
            throw setFailed(name, "can't set immutable config");
        }
        ReloadableTls tls = server.tls();
        if (tls == null) {
            throw setFailed(name, "the server has no TLS port (start it with --tls-port)");
        }
        try {
            p.set().accept(tls.current().settings().toBuilder(), value);
        } catch (IllegalArgumentException e) {
            throw setFailed(name, e.getMessage());
        }
    }

    /** Builds a TLS context with the changed settings; one that fails leaves the old in use (Redis's rollback). */
    private static void changeTls(StrataServer server, Map<String, String> changes) {
        try {
            server.tls().change(b -> {
                changes.forEach(
                        (name, value) -> TlsParams.PARAMS.get(name).set().accept(b, value));
                return b;
            });
        } catch (IllegalArgumentException e) {
            throw setFailed(
                    changes.keySet().iterator().next(), "Unable to update TLS configuration: " + e.getMessage());
        }
    }

    static void run(Request r) {
        String sub = r.str(1).toLowerCase(Locale.ROOT);
        switch (sub) {
            case "get" -> get(r);
            case "set" -> set(r);
            case "resetstat" -> {
                ConnectionCommands.arity(r, 2, "config|resetstat");
                r.server.resetStats();
                r.out.ok();
            }
            case "rewrite" -> {
                ConnectionCommands.arity(r, 2, "config|rewrite");
                throw new CommandError("ERR The server is running without a config file");
            }
            case "help" ->
                ConnectionCommands.help(
                        r.out,
                        "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                        "GET <pattern>",
                        "    Return parameters matching the glob-like <pattern> and their values.",
                        "SET <directive> <value>",
                        "    Set the configuration <directive> to <value>.",
                        "RESETSTAT",
                        "    Reset statistics reported by the INFO command.",
                        "REWRITE",
                        "    Rewrite the configuration file (not supported: there is none).",
                        "HELP",
                        "    Print this help.");
            default -> throw CommandError.unknownSubcommand(r.str(1), "config");
        }
    }

    private static void get(Request r) {
        if (r.argc() < 3) {
            throw CommandError.arity("config|get");
        }
        Map<String, String> found = new LinkedHashMap<>();
        for (int i = 2; i < r.argc(); i++) {
            byte[] pattern = r.argv[i];
            for (Map.Entry<String, ConfigParams.Param> e : ConfigParams.PARAMS.entrySet()) {
                NoEffectConfig.Default d = NoEffectConfig.DEFAULTS.get(e.getKey());
                if (d != null && d.hidden()) {
                    if (e.getKey().equalsIgnoreCase(new String(pattern, StandardCharsets.UTF_8))) {
                        found.put(e.getKey(), e.getValue().get().apply(r.server)); // by name only, as Redis
                    }
                    continue;
                }
                if (Glob.matchesIgnoreCase(pattern, e.getKey().getBytes(StandardCharsets.UTF_8))) {
                    found.put(e.getKey(), e.getValue().get().apply(r.server));
                }
            }
            for (Map.Entry<String, TlsParams.Param> e : TlsParams.PARAMS.entrySet()) {
                if (Glob.matchesIgnoreCase(pattern, e.getKey().getBytes(StandardCharsets.UTF_8))) {
                    found.put(e.getKey(), e.getValue().get().apply(r.server));
                }
            }
        }
        r.out.map(found.size());
        found.forEach((k, v) -> {
            r.out.bulk(k);
            r.out.bulk(v);
        });
    }

    private static void set(Request r) {
        if (r.argc() < 4 || r.argc() % 2 != 0) {
            throw CommandError.arity("config|set");
        }
        Map<String, String> tls = new LinkedHashMap<>();
        Map<String, String> others = new LinkedHashMap<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 2; i < r.argc(); i += 2) {
            String name = r.str(i).toLowerCase(Locale.ROOT);
            if (!seen.add(name)) {
                throw setFailed(name, "duplicate parameter");
            }
            ConfigParams.Param p = ConfigParams.PARAMS.get(name);
            TlsParams.Param t = p == null ? TlsParams.PARAMS.get(name) : null;
            if (p == null && t == null) {
                throw new CommandError("ERR Unknown option or number of arguments for CONFIG SET - '" + r.str(i) + "'");
            }
            if ((p != null ? p.get() : t.get()).apply(r.server).equals(r.str(i + 1))) {
                continue; // its value already: nothing to change, even where it could not be (a TLS one without a TLS
                // port)
            }
            if (t != null) {
                checkTls(r.server, name, r.str(i + 1));
                tls.put(name, r.str(i + 1));
                continue;
            }
            // Protected first: without --enable-protected-configs a path parameter is refused as
            // Redis refuses 'dir', even where Strata could not change it anyway.
            if (p.isProtected() && !r.server.config().enableProtectedConfigs()) {
                throw setFailed(name, "can't set protected config");
            }
            if (p.set() == null) {
                throw setFailed(name, "can't set immutable config");
            }
            others.put(name, r.str(i + 1));
        }
        List<Map.Entry<String, String>> applied = new ArrayList<>();
        for (Map.Entry<String, String> change : others.entrySet()) {
            ConfigParams.Param p = ConfigParams.PARAMS.get(change.getKey());
            String before = p.get().apply(r.server);
            try {
                p.set().accept(r.server, change.getValue());
            } catch (IllegalArgumentException e) {
                rollBack(r.server, applied);
                throw setFailed(change.getKey(), e.getMessage());
            }
            applied.add(Map.entry(change.getKey(), before));
        }
        if (!tls.isEmpty()) {
            try {
                changeTls(r.server, tls); // all or nothing itself
            } catch (CommandError e) {
                rollBack(r.server, applied);
                throw e;
            }
        }
        r.out.ok();
    }

    /** Sets back the parameters a refused CONFIG SET changed before the refusal, the last first. */
    private static void rollBack(StrataServer server, List<Map.Entry<String, String>> applied) {
        for (int i = applied.size() - 1; i >= 0; i--) {
            Map.Entry<String, String> old = applied.get(i);
            ConfigParams.PARAMS.get(old.getKey()).set().accept(server, old.getValue());
        }
    }
}
