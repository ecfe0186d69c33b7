package io.strata.server;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * A built TLS configuration: the Netty context and the settings it was built from. Immutable;
 * each new connection on the TLS port gets its handler from the context current when it is accepted.
 */
record TlsContext(SslContext sslContext, TlsSettings settings) {
    /** The handler of one new connection. */
    SslHandler newHandler(ByteBufAllocator alloc) {
        SslHandler handler = sslContext.newHandler(alloc);
        SSLEngine engine = handler.engine();
        SSLParameters p = engine.getSSLParameters();
        p.setUseCipherSuitesOrder(settings.preferServerCiphers());
        engine.setSSLParameters(p);
        return handler;
    }

    /** For the start line and the reload log: the certificate, whether clients are verified, and against what. */
    String describe() {
        TlsSettings s = settings;
        String ca = s.caCertFile() != null ? s.caCertFile().toString() : "";
        if (s.caCertDir() != null) {
            ca += (ca.isEmpty() ? "" : " and ") + s.caCertDir();
        }
        return "certificate " + s.certFile() + ", client certificates "
                + switch (s.authClients()) {
                    case YES -> "required (CA " + ca + ")";
                    case OPTIONAL -> "optional (CA " + ca + ")";
                    case NO -> "not asked for";
                }
                + (s.protocols().isEmpty() ? "" : ", protocols " + s.protocols());
    }
}
