package io.strata.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * The bearer token the metrics endpoint asks for ({@code --metrics-token-file}): the file's
 * content without surrounding whitespace (so a trailing newline does not count). Its bytes stay
 * in this object; nothing prints them, not even {@link #toString()}.
 */
final class MetricsToken {
    private static final String BEARER = "Bearer ";
    private final byte[] token;

    private MetricsToken(byte[] token) {
        this.token = token;
    }

    /**
     * Reads the token.
     *
     * @throws IllegalArgumentException if the file cannot be read or holds no token
     */
    static MetricsToken read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the metrics token file " + file + ": " + e, e);
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException("the metrics token file " + file + " is empty");
        }
        return new MetricsToken(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * True if {@code authorization} (an Authorization header, or null) is {@code Bearer <token>}.
     * The comparison takes the same time whatever bytes differ: MessageDigest.isEqual's running
     * time depends only on the length of its first argument, the expected token.
     */
    boolean accepts(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] given = authorization.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(token, given);
    }

    @Override
    public String toString() {
        return "MetricsToken[hidden]";
    }
}
