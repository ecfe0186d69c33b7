package io.strata.server;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Builds the TLS listener's context from its settings: a PEM certificate chain and key, the JDK's
 * TLS provider, the CA a client certificate is verified against and whether one is required, the
 * protocols and cipher suites. Every problem is an {@link IllegalArgumentException} that names
 * the file or the setting, so that a start stops before the store is opened and a reload keeps
 * the context it had.
 */
final class ServerTls {
    private ServerTls() {}

    /** Loads and checks everything {@code s} names. */
    static TlsContext context(TlsSettings s) {
        checkReadable(s.certFile(), "certificate");
        checkReadable(s.keyFile(), "key");
        // The CA is loaded whenever it is configured, so that a bad one is reported even with
        // tls-auth-clients no, as Redis does.
        X509Certificate[] cas =
                s.caCertFile() != null || s.caCertDir() != null ? TlsTrust.load(s.caCertFile(), s.caCertDir()) : null;
        X509Certificate[] chain;
        PrivateKey key;
        try {
            chain = PemFiles.chain(s.certFile());
            key = PemFiles.privateKey(s.keyFile());
            PemFiles.checkPair(key, chain[0], s.keyFile(), s.certFile());
        } catch (IllegalArgumentException e) {
            throw cannotLoad(s, e);
        }
        List<String> protocols = TlsProtocols.resolve(s.protocols());
        List<String> suites = TlsCipherSuites.resolve(
                s.ciphers(),
                s.ciphersuites(),
                protocols,
                chain[0].getPublicKey().getAlgorithm());
        SslContextBuilder b = SslContextBuilder.forServer(key, chain);
        b.sslProvider(SslProvider.JDK).protocols(protocols);
        if (suites != null) {
            b.ciphers(suites, IdentityCipherSuiteFilter.INSTANCE);
        }
        if (s.authClients() != TlsAuthClients.NO) {
            b.trustManager(cas)
                    .clientAuth(s.authClients() == TlsAuthClients.YES ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
        }
        try {
            return new TlsContext(b.build(), s);
        } catch (Exception e) {
            throw cannotLoad(s, e);
        }
    }

    private static IllegalArgumentException cannotLoad(TlsSettings s, Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String detail = e.getMessage() == null ? e.toString() : e.getMessage();
        if (root != e && root.getMessage() != null) {
            detail += " (" + root.getMessage() + ")";
        }
        return new IllegalArgumentException(
                "cannot load the TLS certificate " + s.certFile() + " and key " + s.keyFile() + ": " + detail
                        + "; both must be PEM, the key unencrypted PKCS#8 (BEGIN PRIVATE KEY)",
                e);
    }

    /** A file that must exist and be readable; {@code what} names it in the error. */
    static void checkReadable(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("TLS " + what + " file " + file + " does not exist or is not a file");
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("TLS " + what + " file " + file + " is not readable");
        }
    }
}
