package io.strata.server;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Files;
import java.nio.file.Path;

/** The TLS listener's {@link SslContext}: a PEM certificate chain and key, the JDK's TLS provider. */
final class ServerTls {
    private ServerTls() {}

    /**
     * Loads the certificate and key. A missing or unreadable file, a file that holds no PEM
     * certificate or key, or a key that is not unencrypted PKCS#8 is an
     * {@link IllegalArgumentException} naming the files.
     */
    static SslContext context(Path certFile, Path keyFile) {
        check(certFile, "certificate");
        check(keyFile, "key");
        try {
            return SslContextBuilder.forServer(certFile.toFile(), keyFile.toFile())
                    .sslProvider(SslProvider.JDK)
                    .build();
        } catch (Exception e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String detail = e.getMessage() == null ? e.toString() : e.getMessage();
            if (root != e && root.getMessage() != null) {
                detail += " (" + root.getMessage() + ")";
            }
            throw new IllegalArgumentException(
                    "cannot load the TLS certificate " + certFile + " and key " + keyFile + ": " + detail
                            + "; both must be PEM, the key unencrypted PKCS#8 (BEGIN PRIVATE KEY)",
                    e);
        }
    }

    private static void check(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("TLS " + what + " file " + file + " does not exist or is not a file");
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("TLS " + what + " file " + file + " is not readable");
        }
    }
}
