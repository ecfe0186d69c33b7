package io.strata.server.acl;

import java.util.Locale;

/**
 * Redis's ACL command categories ({@code +@read}, {@code -@dangerous}), in Redis's order, which
 * is the order ACL CAT and COMMAND INFO list them in.
 */
public enum AclCategory {
    KEYSPACE,
    READ,
    WRITE,
    SET,
    SORTEDSET,
    LIST,
    HASH,
    STRING,
    BITMAP,
    HYPERLOGLOG,
    GEO,
    STREAM,
    PUBSUB,
    ADMIN,
    FAST,
    SLOW,
    BLOCKING,
    DANGEROUS,
    CONNECTION,
    TRANSACTION,
    SCRIPTING;

    /** The name in rules, without the {@code @}: lower case. */
    public String ruleName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The category of a rule's name (case-insensitive), or null. */
    public static AclCategory byName(String name) {
        for (AclCategory c : values()) {
            if (c.name().equalsIgnoreCase(name)) {
                return c;
            }
        }
        return null;
    }
}
