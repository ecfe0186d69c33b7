package io.strata.server.acl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Users' passwords are kept as SHA-256 hashes in lower-case hex, as Redis keeps them (ACL LIST,
 * GETUSER and the ACL file show only those); a password given to AUTH is hashed and compared
 * with each in constant time.
 */
final class Passwords {
    private Passwords() {}

    static String hash(byte[] password) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(password));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static String hash(String password) {
        return hash(password.getBytes(StandardCharsets.UTF_8));
    }

    /** A rule's {@code #hash}: exactly 64 lower-case hex digits. */
    static boolean isHash(String s) {
        if (s.length() != 64) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    /**
     * True if the password's hash is one of {@code hashes}. Every hash is compared, each with
     * {@link MessageDigest#isEqual} (time independent of where they differ), so the time tells
     * nothing about which matched or how closely.
     */
    static boolean matches(List<String> hashes, byte[] password) {
        byte[] given = hash(password).getBytes(StandardCharsets.US_ASCII);
        boolean found = false;
        for (String h : hashes) {
            found |= MessageDigest.isEqual(h.getBytes(StandardCharsets.US_ASCII), given);
        }
        return found;
    }
}
