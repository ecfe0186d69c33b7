package io.strata.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM files as TLS reads them: certificates ("BEGIN CERTIFICATE"), and an unencrypted PKCS#8
 * private key ("BEGIN PRIVATE KEY", what {@code openssl genpkey} and {@code openssl req -nodes}
 * write) of RSA, EC or EdDSA, checked to be the key of its certificate: a key that does not
 * match would otherwise load and fail every handshake.
 */
final class PemFiles {
    private static final Pattern PKCS8 =
            Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "EdDSA");

    private PemFiles() {}

    /** The certificates in {@code file}, in order; none if it holds none (a key, a CRL, text). */
    static List<X509Certificate> certificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certs = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certs.add((X509Certificate) c);
            }
            return certs;
        } catch (CertificateException e) {
            return List.of();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The certificate chain of {@code file}, at least one certificate. */
    static X509Certificate[] chain(Path file) {
        List<X509Certificate> certs = certificates(file);
        if (certs.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no PEM certificate (BEGIN CERTIFICATE)");
        }
        return certs.toArray(new X509Certificate[0]);
    }

    /** The unencrypted PKCS#8 key of {@code file}. */
    static PrivateKey privateKey(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Matcher m = PKCS8.matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException(file + " holds no unencrypted PKCS#8 key (BEGIN PRIVATE KEY); "
                    + "convert one with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": the key is not valid base64", e);
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // not this algorithm's key: try the next
            }
        }
        throw new IllegalArgumentException(file + ": not an RSA, EC or EdDSA key");
    }

    /**
     * Checks that {@code key} is the private key of {@code cert}: it signs a random message that
     * the certificate's public key verifies.
     */
    static void checkPair(PrivateKey key, X509Certificate cert, Path keyFile, Path certFile) {
        PublicKey pub = cert.getPublicKey();
        byte[] message = new byte[32];
        new SecureRandom().nextBytes(message);
        boolean matches;
        try {
            String algorithm = signature(key);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(message);
            byte[] signed = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(pub);
            verifier.update(message);
            matches = verifier.verify(signed);
        } catch (GeneralSecurityException e) {
            matches = false; // a key of another algorithm than the certificate's
        }
        if (!matches) {
            throw new IllegalArgumentException(
                    "the key " + keyFile + " is not the private key of the certificate " + certFile);
        }
    }

    private static String signature(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // EdDSA, Ed25519, Ed448 sign as themselves
        };
    }
}
