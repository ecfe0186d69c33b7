package io.strata.server;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The TLS listener's settings, named as Redis 7.2 names them: an immutable whole, so that a
 * change (CONFIG SET of several tls-* parameters at once) is built, checked and swapped in as one
 * ({@link ReloadableTls}).
 *
 * @param port the TLS port; 0 picks a free one (tests)
 * @param certFile the PEM certificate chain the server shows
 * @param keyFile its unencrypted PKCS#8 PEM private key
 * @param caCertFile PEM certificates of the CAs a client certificate must be signed by, or null
 * @param caCertDir a directory of such files, or null
 * @param authClients whether clients must show a certificate; null: the default, {@link #authClients()}
 * @param protocols space-separated protocol names (TLSv1.2 TLSv1.3); "" for the JDK's defaults
 * @param ciphers colon-separated TLS 1.2 cipher suites; "" for the JDK's defaults
 * @param ciphersuites colon-separated TLS 1.3 cipher suites; "" for the JDK's defaults
 * @param preferServerCiphers whether the server's order of cipher suites wins over the client's
 */
public record TlsSettings(
        int port,
        Path certFile,
        Path keyFile,
        Path caCertFile,
        Path caCertDir,
        TlsAuthClients authClients,
        String protocols,
        String ciphers,
        String ciphersuites,
        boolean preferServerCiphers) {

    public TlsSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("tls port must be 0..65535, got " + port);
        }
        if (certFile == null || keyFile == null) {
            throw new IllegalArgumentException("TLS needs both a certificate file and a key file");
        }
        protocols = Objects.requireNonNullElse(protocols, "").strip();
        ciphers = Objects.requireNonNullElse(ciphers, "").strip();
        ciphersuites = Objects.requireNonNullElse(ciphersuites, "").strip();
        // Asked for explicitly, client authentication needs a CA to verify against; the default
        // (authClients null) is then no, rather than a start that fails.
        if (authClients != null && authClients != TlsAuthClients.NO && caCertFile == null && caCertDir == null) {
            throw new IllegalArgumentException("tls-auth-clients " + authClients.configName()
                    + " needs tls-ca-cert-file or tls-ca-cert-dir (the CA client certificates must be signed by)");
        }
    }

    /** A certificate and key and nothing else: clients are not asked for certificates. */
    public static TlsSettings of(int port, Path certFile, Path keyFile) {
        return new TlsSettings(port, certFile, keyFile, null, null, null, "", "", "", false);
    }

    /**
     * The client authentication in force: as set, or by default {@code yes} (Redis's default) when
     * a CA is configured and {@code no} when none is (there is nothing to verify a certificate against).
     */
    @Override
    public TlsAuthClients authClients() {
        if (authClients != null) {
            return authClients;
        }
        return caCertFile != null || caCertDir != null ? TlsAuthClients.YES : TlsAuthClients.NO;
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes some settings; {@link #build()} checks the whole. Not thread-safe. */
    public static final class Builder {
        private final int port;
        private Path certFile;
        private Path keyFile;
        private Path caCertFile;
        private Path caCertDir;
        private TlsAuthClients authClients;
        private String protocols;
        private String ciphers;
        private String ciphersuites;
        private boolean preferServerCiphers;

        private Builder(TlsSettings s) {
            port = s.port;
            certFile = s.certFile;
            keyFile = s.keyFile;
            caCertFile = s.caCertFile;
            caCertDir = s.caCertDir;
            authClients = s.authClients;
            protocols = s.protocols;
            ciphers = s.ciphers;
            ciphersuites = s.ciphersuites;
            preferServerCiphers = s.preferServerCiphers;
        }

        public Builder certFile(Path file) {
            certFile = file;
            return this;
        }

        public Builder keyFile(Path file) {
            keyFile = file;
            return this;
        }

        /** Null for none. */
        public Builder caCertFile(Path file) {
            caCertFile = file;
            return this;
        }

        /** Null for none. */
        public Builder caCertDir(Path dir) {
            caCertDir = dir;
            return this;
        }

        /** Null for the default. */
        public Builder authClients(TlsAuthClients auth) {
            authClients = auth;
            return this;
        }

        public Builder protocols(String names) {
            protocols = names;
            return this;
        }

        public Builder ciphers(String names) {
            ciphers = names;
            return this;
        }

        public Builder ciphersuites(String names) {
            ciphersuites = names;
            return this;
        }

        public Builder preferServerCiphers(boolean prefer) {
            preferServerCiphers = prefer;
            return this;
        }

        public TlsSettings build() {
            return new TlsSettings(
                    port,
                    certFile,
                    keyFile,
                    caCertFile,
                    caCertDir,
                    authClients,
                    protocols,
                    ciphers,
                    ciphersuites,
                    preferServerCiphers);
        }
    }
}
