package io.strata.server.acl;

import io.strata.server.util.Glob;
import java.nio.charset.StandardCharsets;

/**
 * One key pattern of a user: a glob (Redis's, case-sensitive) and what it allows on the keys it
 * matches: {@code ~p} both, {@code %R~p} reading, {@code %W~p} writing.
 */
public record KeyPattern(String glob, boolean read, boolean write) {
    /** True if this pattern allows {@code flags} ({@link KeyAccess#READS}, {@link KeyAccess#WRITES}) on the key. */
    boolean allows(byte[] key, int flags) {
        boolean needsRead = (flags & KeyAccess.READS) != 0;
        boolean needsWrite = (flags & KeyAccess.WRITES) != 0;
        return (read || !needsRead) && (write || !needsWrite) && Glob.matches(bytes(), key);
    }

    private byte[] bytes() {
        return glob.getBytes(StandardCharsets.UTF_8);
    }

    /** As a rule, the way ACL LIST and GETUSER show it. */
    String rule() {
        return (read && write ? "~" : read ? "%R~" : "%W~") + glob;
    }
}
