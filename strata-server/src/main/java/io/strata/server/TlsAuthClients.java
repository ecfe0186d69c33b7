package io.strata.server;

import java.util.Locale;

/**
 * Redis's {@code tls-auth-clients}: whether a client on the TLS port must show a certificate
 * signed by the configured CA ({@code yes}), may show one ({@code optional}: one it shows must
 * verify), or is not asked ({@code no}).
 */
public enum TlsAuthClients {
    YES,
    NO,
    OPTIONAL;

    /** yes, no or optional, in any case; anything else is an {@link IllegalArgumentException} as Redis words it. */
    public static TlsAuthClients parse(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "yes" -> YES;
            case "no" -> NO;
            case "optional" -> OPTIONAL;
            default ->
                throw new IllegalArgumentException("argument(s) must be one of the following: no, yes, optional");
        };
    }

    /** The name as Redis's config writes it. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
