package io.strata.server;

import io.strata.server.acl.KeyAccess;

/** The options of SET: {@code [NX|XX] [GET] [EX s|PX ms|EXAT s|PXAT ms|KEEPTTL]}, parsed as Redis does. */
final class SetOptions {
    boolean nx;
    boolean xx;
    boolean get;
    boolean keepTtl;
    /** Absolute expiry in epoch ms, 0 for none. */
    long expireAt;

    static SetOptions parse(byte[][] argv, long now) {
        SetOptions o = new SetOptions();
        boolean expirySet = false;
        for (int j = 3; j < argv.length; j++) {
            String opt =
                    new String(argv[j], java.nio.charset.StandardCharsets.UTF_8).toUpperCase(java.util.Locale.ROOT);
            boolean hasNext = j + 1 < argv.length;
            switch (opt) {
                case "NX" -> {
                    if (o.xx) {
                        throw CommandError.SYNTAX;
                    }
                    o.nx = true;
                }
                case "XX" -> {
                    if (o.nx) {
                        throw CommandError.SYNTAX;
                    }
                    o.xx = true;
                }
                case "GET" -> o.get = true;
                case "KEEPTTL" -> {
                    if (expirySet) {
                        throw CommandError.SYNTAX;
                    }
                    o.keepTtl = true;
                }
                case "EX", "PX", "EXAT", "PXAT" -> {
                    if (o.keepTtl || expirySet || !hasNext) {
                        throw CommandError.SYNTAX;
                    }
                    expirySet = true;
                    o.expireAt = Expiry.valueOf(opt).positiveAt(Numbers.parseLong(argv[++j]), now, "set");
                }
                default -> throw CommandError.SYNTAX;
            }
        }
        return o;
    }

    /** For ACL: SET writes its key, and with GET reads it too (Redis's variable key-spec flags). */
    static int keyAccess(byte[][] argv) {
        for (int j = 3; j < argv.length; j++) {
            if (argv[j].length == 3
                    && new String(argv[j], java.nio.charset.StandardCharsets.UTF_8).equalsIgnoreCase("GET")) {
                return KeyAccess.READS | KeyAccess.WRITES;
            }
        }
        return KeyAccess.WRITES;
    }

    /** Whether the SET reads nothing (no NX, XX, GET or KEEPTTL): a blind write, which may be batched. */
    boolean blind() {
        return !nx && !xx && !get && !keepTtl;
    }
}
