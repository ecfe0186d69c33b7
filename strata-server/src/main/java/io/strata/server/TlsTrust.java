package io.strata.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The CA certificates a client certificate must be signed by: those of {@code tls-ca-cert-file}
 * (one PEM file, one or more certificates) and of {@code tls-ca-cert-dir} (every file of the
 * directory that holds PEM certificates; others, such as OpenSSL's hash links to keys or CRLs,
 * are skipped, as OpenSSL skips what it cannot use).
 */
final class TlsTrust {
    private TlsTrust() {}

    /**
     * The certificates of the file and the directory (either may be null; not both).
     *
     * @throws IllegalArgumentException naming the file or directory if it is missing, unreadable,
     *     or holds no certificate
     */
    static X509Certificate[] load(Path caFile, Path caDir) {
        List<X509Certificate> all = new ArrayList<>();
        if (caFile != null) {
            ServerTls.checkReadable(caFile, "CA certificate (tls-ca-cert-file)");
            List<X509Certificate> certs = PemFiles.certificates(caFile);
            if (certs.isEmpty()) {
                throw new IllegalArgumentException(
                        "tls-ca-cert-file " + caFile + " holds no PEM certificate (BEGIN CERTIFICATE)");
            }
            all.addAll(certs);
        }
        if (caDir != null) {
            if (!Files.isDirectory(caDir)) {
                throw new IllegalArgumentException(
                        "tls-ca-cert-dir " + caDir + " does not exist or is not a directory");
            }
            List<X509Certificate> certs = new ArrayList<>();
            try (Stream<Path> files = Files.list(caDir)) {
                for (Path f : files.sorted().toList()) {
                    if (Files.isRegularFile(f) && Files.isReadable(f)) {
                        certs.addAll(PemFiles.certificates(f));
                    }
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot list tls-ca-cert-dir " + caDir + ": " + e.getMessage(), e);
            }
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("tls-ca-cert-dir " + caDir + " holds no PEM certificate");
            }
            all.addAll(certs);
        }
        return all.toArray(new X509Certificate[0]);
    }
}
