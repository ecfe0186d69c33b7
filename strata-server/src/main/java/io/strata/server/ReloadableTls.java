package io.strata.server;

import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS listener's current context, which a reload replaces: SIGHUP re-reads the files the
 * settings name, CONFIG SET of tls-* parameters builds from changed settings. A new context is
 * built and checked completely before it replaces the old one, so a reload that fails (a missing
 * file, a key that does not match) leaves the old one serving and says why. Connections keep the
 * handler they were accepted with: a reload changes what new connections see, and drops none.
 *
 * <p>Thread-safe: this object's lock orders reloads (one builds at a time, so two cannot swap in
 * out of order); {@link #current} is volatile, read without the lock by the I/O thread that
 * accepts a connection. The settings of the current context are also published to the
 * {@link ServerConfig} (its volatile {@code tls}), which CONFIG GET reads, while the lock is held.
 */
final class ReloadableTls {
    private static final Logger log = LoggerFactory.getLogger(ReloadableTls.class);

    private final ServerConfig config;
    private volatile TlsContext current;

    /** Builds the first context from the config's settings; a problem stops the start. */
    ReloadableTls(ServerConfig config) {
        this.config = config;
        this.current = ServerTls.context(config.tls());
    }

    TlsContext current() {
        return current;
    }

    /**
     * SIGHUP: builds a context from the same settings, reading the files again (a certificate
     * renewed in place). A failure keeps the old context; either way the log says what happened.
     *
     * @return whether the new context is in use
     */
    synchronized boolean reload() {
        try {
            current = ServerTls.context(current.settings());
            log.info("TLS reloaded: {}", current.describe());
            return true;
        } catch (IllegalArgumentException e) {
            log.warn("TLS reload failed, the previous certificate stays in use: {}", e.getMessage());
            return false;
        }
    }

    /**
     * CONFIG SET: the current settings changed by {@code change}, built into a new context that
     * replaces the current one.
     *
     * @throws IllegalArgumentException saying why, with the current context unchanged
     */
    synchronized void change(UnaryOperator<TlsSettings.Builder> change) {
        TlsSettings next = change.apply(current.settings().toBuilder()).build();
        TlsContext built = ServerTls.context(next);
        config.tls(next);
        current = built;
        log.info("TLS changed by CONFIG SET: {}", built.describe());
    }
}
