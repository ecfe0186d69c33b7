package io.strata.server;

import io.strata.testkit.TestCa;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/** TLS clients of the tests: a JDK context trusting one CA, with or without a client certificate. */
final class TlsClients {
    private TlsClients() {}

    /** A context that trusts {@code ca}'s certificates and shows {@code client} (null: no certificate). */
    static SSLContext context(Path ca, TestCa.Issued client) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        int i = 0;
        for (X509Certificate c : PemFiles.chain(ca)) {
            trust.setCertificateEntry("ca" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManager[] keyManagers = null;
        if (client != null) {
            char[] password = "test".toCharArray();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", PemFiles.privateKey(client.key()), password, PemFiles.chain(client.cert()));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            keyManagers = new KeyManager[] {new AlwaysShown((X509ExtendedKeyManager) kmf.getKeyManagers()[0])};
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(keyManagers, tmf.getTrustManagers(), null);
        return ctx;
    }

    /**
     * Shows its certificate whatever CAs the server names, as OpenSSL's clients do: the JDK's own
     * key manager would send none that the named CAs did not sign, and a refusal of a stranger's
     * certificate would go untested.
     */
    private static final class AlwaysShown extends X509ExtendedKeyManager {
        private final X509ExtendedKeyManager keys;

        AlwaysShown(X509ExtendedKeyManager keys) {
            this.keys = keys;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return "client";
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return "client";
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {"client"};
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return keys.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return keys.getPrivateKey(alias);
        }
    }

    /** An open TLS connection, handshake done, reading with a 10 s timeout; {@code protocols} null: the JDK's. */
    static SSLSocket connect(SSLContext ctx, int port, String... protocols) throws IOException {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(10_000);
        if (protocols.length > 0) {
            s.setEnabledProtocols(protocols);
        }
        s.startHandshake();
        return s;
    }

    /** Sends one inline command and returns the first line of the reply. */
    static String command(SSLSocket s, String line) throws IOException {
        s.getOutputStream().write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        StringBuilder reply = new StringBuilder();
        for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
            if (b != '\r') {
                reply.append((char) b);
            }
        }
        return reply.toString();
    }

    /**
     * A new connection's answer to {@code line}, or how it failed: with TLS 1.3 a client learns
     * that the server refused its certificate only when it reads, after its handshake ended.
     */
    static String attempt(SSLContext ctx, int port, String line, String... protocols) {
        try (SSLSocket s = connect(ctx, port, protocols)) {
            String reply = command(s, line);
            return reply.isEmpty() ? "closed" : reply;
        } catch (IOException e) {
            return "failed: " + e;
        }
    }

    /** The common name of the certificate a new connection is shown. */
    static String serverName(SSLContext ctx, int port) throws IOException {
        try (SSLSocket s = connect(ctx, port)) {
            X509Certificate c = (X509Certificate) s.getSession().getPeerCertificates()[0];
            return c.getSubjectX500Principal().getName();
        }
    }
}
