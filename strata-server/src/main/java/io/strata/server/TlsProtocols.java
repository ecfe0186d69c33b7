package io.strata.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code tls-protocols}: Redis's space-separated names (TLSv1, TLSv1.1, TLSv1.2, TLSv1.3, in any
 * case). Each must be one the JDK enables: JDK 17 disables TLSv1 and TLSv1.1
 * ({@code jdk.tls.disabledAlgorithms}), so naming them is an error rather than a listener whose
 * handshakes all fail.
 */
final class TlsProtocols {
    private static final List<String> NAMES = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
    private static final Pattern SEPARATORS = Pattern.compile("[\\s,]+");

    private TlsProtocols() {}

    /**
     * The protocols named, in the JDK's spelling; the JDK's defaults for "".
     *
     * @throws IllegalArgumentException for an unknown name or one this JDK disables
     */
    static List<String> resolve(String names) {
        Set<String> enabled = Set.of(jdkDefaults());
        if (names.isBlank()) {
            return List.copyOf(enabled);
        }
        List<String> out = new ArrayList<>();
        for (String given : SEPARATORS.splitAsStream(names.strip()).toList()) {
            String name = NAMES.stream()
                    .filter(n -> n.toLowerCase(Locale.ROOT).equals(given.toLowerCase(Locale.ROOT)))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("invalid tls-protocols '" + given
                            + "': use a combination of 'TLSv1', 'TLSv1.1', 'TLSv1.2' and 'TLSv1.3'"));
            if (!enabled.contains(name)) {
                throw new IllegalArgumentException("tls-protocols: " + name + " is disabled in this JDK (it enables "
                        + String.join(" ", jdkDefaults()) + "; see jdk.tls.disabledAlgorithms)");
            }
            if (!out.contains(name)) {
                out.add(name);
            }
        }
        return List.copyOf(out);
    }

    /** The protocols the JDK's TLS enables by default. */
    static String[] jdkDefaults() {
        return TlsCipherSuites.jdk(false).getProtocols();
    }
}
