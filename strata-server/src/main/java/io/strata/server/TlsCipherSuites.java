package io.strata.server;

import io.netty.handler.ssl.CipherSuiteConverter;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * {@code tls-ciphers} (TLS 1.2 and below) and {@code tls-ciphersuites} (TLS 1.3) as one list of
 * the JDK's cipher suites, for the protocols in use. Redis hands both strings to OpenSSL; here
 * they are lists of suite names separated by colons (OpenSSL's separator; commas and spaces are
 * taken too), in OpenSSL's spelling (ECDHE-RSA-AES128-GCM-SHA256) or the IANA's the JDK uses
 * (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256). OpenSSL's keywords and operators (HIGH, !aNULL,
 * {@code @STRENGTH}) are not understood: such a name is an error, not a silently empty list.
 * An empty string keeps the JDK's default suites of that protocol version.
 */
final class TlsCipherSuites {
    private static final Pattern SEPARATORS = Pattern.compile("[:,\\s]+");

    private TlsCipherSuites() {}

    /**
     * The suites to enable, in order (TLS 1.3 first), or null when neither list is given (the
     * JDK's defaults, untouched).
     *
     * @param keyAlgorithm the certificate's key algorithm (RSA, EC, EdDSA): a TLS 1.2 suite names
     *     the kind of key it authenticates with
     * @throws IllegalArgumentException for an unknown name, a suite of the wrong version, or when
     *     TLS 1.2 is in use and no suite of tls-ciphers fits the certificate's key
     */
    static List<String> resolve(String ciphers, String ciphersuites, List<String> protocols, String keyAlgorithm) {
        if (ciphers.isBlank() && ciphersuites.isBlank()) {
            return null;
        }
        Set<String> known = Set.of(jdk(true).getCipherSuites());
        List<String> tls13 =
                ciphersuites.isBlank() ? jdkDefaults(true) : names("tls-ciphersuites", ciphersuites, known, true);
        List<String> tls12 = ciphers.isBlank() ? jdkDefaults(false) : names("tls-ciphers", ciphers, known, false);
        // A TLS 1.2 suite authenticates with one kind of key (…_ECDSA_…, …_RSA_…): with none for
        // the certificate's, every TLS 1.2 handshake would fail. TLS 1.3's suites fit any key.
        String auth = switch (keyAlgorithm) {
            case "EC", "EdDSA", "Ed25519", "Ed448" -> "_ECDSA_";
            case "RSA" -> "_RSA_";
            default -> null;
        };
        boolean oldProtocols = protocols.stream().anyMatch(p -> !p.equals("TLSv1.3"));
        if (auth != null && oldProtocols && !ciphers.isBlank() && tls12.stream().noneMatch(n -> n.contains(auth))) {
            throw new IllegalArgumentException("no cipher suite left for " + String.join(" ", protocols)
                    + ": no suite of tls-ciphers '" + ciphers + "' fits the certificate's " + keyAlgorithm
                    + " key (choose suites with " + auth.replace("_", "") + ")");
        }
        List<String> all = new ArrayList<>(tls13);
        all.addAll(tls12);
        return List.copyOf(all);
    }

    private static List<String> names(String option, String value, Set<String> known, boolean tls13) {
        List<String> out = new ArrayList<>();
        for (String given : SEPARATORS.splitAsStream(value.strip()).toList()) {
            String name = known.contains(given) ? given : CipherSuiteConverter.toJava(given, "TLS");
            if (name == null || !known.contains(name)) {
                throw new IllegalArgumentException(option + ": unknown cipher suite '" + given + "' (give suite names, "
                        + "OpenSSL's or the IANA's, separated by ':'; OpenSSL's keywords such as HIGH or !aNULL are "
                        + "not supported)");
            }
            if (isTls13(name) != tls13) {
                throw new IllegalArgumentException(option + ": '" + given + "' is a "
                        + (tls13
                                ? "TLS 1.2 cipher (it belongs in tls-ciphers)"
                                : "TLS 1.3 suite (it belongs in " + "tls-ciphersuites)"));
            }
            if (!out.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }

    /** TLS 1.3's suites name no key exchange: TLS_AES_128_GCM_SHA256, TLS_CHACHA20_POLY1305_SHA256. */
    static boolean isTls13(String javaName) {
        return javaName.startsWith("TLS_") && !javaName.contains("_WITH_") && !javaName.endsWith("_SCSV");
    }

    private static List<String> jdkDefaults(boolean tls13) {
        return Arrays.stream(defaults().getCipherSuites())
                .filter(n -> isTls13(n) == tls13)
                .toList();
    }

    private static SSLParameters defaults() {
        return jdk(false);
    }

    /** The JDK's default TLS parameters, or with {@code supported} all it supports. */
    static SSLParameters jdk(boolean supported) {
        try {
            SSLContext c = SSLContext.getDefault();
            return supported ? c.getSupportedSSLParameters() : c.getDefaultSSLParameters();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no default TLS context", e);
        }
    }
}
