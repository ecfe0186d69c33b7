package io.strata.server;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/**
 * The files of mutual TLS between cluster nodes ({@code --raft-tls-cert-file},
 * {@code --raft-tls-key-file}, {@code --raft-tls-ca-cert-file}), also those of an admin client
 * ({@code strata cluster ... --raft-tls-*}): the PEM certificate this side shows, its unencrypted
 * PKCS#8 key, and the cluster's CA, which signed the certificate and must have signed the
 * other side's.
 */
public record RaftTlsFiles(Path certFile, Path keyFile, Path caCertFile) {
    public RaftTlsFiles {
        if (certFile == null || keyFile == null || caCertFile == null) {
            throw new IllegalArgumentException("Raft TLS needs all three of --raft-tls-cert-file, "
                    + "--raft-tls-key-file and --raft-tls-ca-cert-file");
        }
    }

    /**
     * The three files as given, or null when none is given.
     *
     * @throws IllegalArgumentException when some but not all are given
     */
    public static RaftTlsFiles ofOptional(Path certFile, Path keyFile, Path caCertFile) {
        return certFile == null && keyFile == null && caCertFile == null
                ? null
                : new RaftTlsFiles(certFile, keyFile, caCertFile);
    }

    /**
     * Reads the three files: PEM certificates and a PKCS#8 key that is the certificate's, signed
     * by one of the CA file's certificates, so that a node whose peers would refuse it does not start.
     *
     * @throws IllegalArgumentException naming the file and the problem
     */
    public void check() {
        ServerTls.checkReadable(certFile, "certificate (--raft-tls-cert-file)");
        ServerTls.checkReadable(keyFile, "key (--raft-tls-key-file)");
        ServerTls.checkReadable(caCertFile, "CA certificate (--raft-tls-ca-cert-file)");
        X509Certificate[] chain = PemFiles.chain(certFile);
        PrivateKey key = PemFiles.privateKey(keyFile);
        PemFiles.checkPair(key, chain[0], keyFile, certFile);
        X509Certificate[] cas = PemFiles.chain(caCertFile);
        for (X509Certificate ca : cas) {
            for (X509Certificate c : chain) {
                if (signs(ca, c)) {
                    return;
                }
            }
        }
        throw new IllegalArgumentException("the certificate " + certFile + " is not signed by the CA of " + caCertFile
                + ": the cluster's other nodes would refuse it");
    }

    private static boolean signs(X509Certificate ca, X509Certificate cert) {
        try {
            cert.verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
