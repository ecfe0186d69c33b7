package io.strata.server;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The tls-* parameters of CONFIG GET and SET, as Redis 7.2 names them. Each reads the settings in
 * use (without a TLS listener, Redis's defaults); each but tls-port changes a
 * {@link TlsSettings.Builder}, so that a CONFIG SET of several is built and swapped in as one
 * ({@link ReloadableTls#change}). None is a protected config: Redis 7 lets CONFIG SET change the
 * certificate files without enable-protected-configs (the server only reads them), so that a
 * certificate can be renewed at run time.
 */
final class TlsParams {
    /** How a parameter reads the server's TLS settings and, unless it is fixed, changes them. */
    record Param(Function<StrataServer, String> get, BiConsumer<TlsSettings.Builder, String> set) {}

    static final Map<String, Param> PARAMS = new LinkedHashMap<>();

    static {
        PARAMS.put("tls-port", new Param(s -> Integer.toString(s.tlsPort()), null));
        PARAMS.put(
                "tls-cert-file",
                new Param(setting(t -> t.certFile().toString(), ""), (b, v) -> b.certFile(ConfigValues.toPath(v))));
        PARAMS.put(
                "tls-key-file",
                new Param(setting(t -> t.keyFile().toString(), ""), (b, v) -> b.keyFile(ConfigValues.toPath(v))));
        PARAMS.put(
                "tls-ca-cert-file",
                new Param(setting(t -> text(t.caCertFile()), ""), (b, v) -> b.caCertFile(optionalPath(v))));
        PARAMS.put(
                "tls-ca-cert-dir",
                new Param(setting(t -> text(t.caCertDir()), ""), (b, v) -> b.caCertDir(optionalPath(v))));
        PARAMS.put(
                "tls-auth-clients",
                new Param(
                        setting(t -> t.authClients().configName(), "yes"),
                        (b, v) -> b.authClients(TlsAuthClients.parse(v))));
        PARAMS.put("tls-protocols", new Param(setting(TlsSettings::protocols, ""), TlsSettings.Builder::protocols));
        PARAMS.put("tls-ciphers", new Param(setting(TlsSettings::ciphers, ""), TlsSettings.Builder::ciphers));
        PARAMS.put(
                "tls-ciphersuites",
                new Param(setting(TlsSettings::ciphersuites, ""), TlsSettings.Builder::ciphersuites));
        PARAMS.put(
                "tls-prefer-server-ciphers",
                new Param(
                        setting(t -> t.preferServerCiphers() ? "yes" : "no", "no"),
                        (b, v) -> b.preferServerCiphers(ConfigValues.toBool(v))));
    }

    private TlsParams() {}

    /** A setting of the TLS listener, or Redis's default when there is none. */
    private static Function<StrataServer, String> setting(Function<TlsSettings, String> read, String otherwise) {
        return s -> {
            TlsSettings t = s.config().tls();
            return t == null ? otherwise : read.apply(t);
        };
    }

    private static String text(Path p) {
        return p == null ? "" : p.toString();
    }

    /** "" removes the setting, as Redis's tls-ca-cert-file "" does. */
    private static Path optionalPath(String v) {
        return v.isEmpty() ? null : ConfigValues.toPath(v);
    }
}
