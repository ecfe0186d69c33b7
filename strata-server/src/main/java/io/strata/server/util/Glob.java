package io.strata.server.util;

/**
 * Redis's glob matching ({@code stringmatchlen}) over bytes: {@code *}, {@code ?},
 * {@code [abc]}, {@code [^abc]}, {@code [a-z]}, and {@code \} to escape.
 */
public final class Glob {
    private Glob() {}

    public static boolean matches(byte[] pattern, byte[] string) {
        return match(pattern, 0, string, 0, false, 0, new boolean[1]);
    }

    /** Case-insensitive ASCII matching (CONFIG GET). */
    public static boolean matchesIgnoreCase(byte[] pattern, byte[] string) {
        return match(pattern, 0, string, 0, true, 0, new boolean[1]);
    }

    /**
     * @param skipLonger Redis's skipLongerMatches, shared by the whole match: set once the rest of
     *     the pattern after some {@code *} matched nowhere in the rest of the string; then no
     *     earlier {@code *} need try a longer run (the rest would start later still), which keeps
     *     a pattern of many stars from trying every split.
     */
    private static boolean match(byte[] p, int pi, byte[] s, int si, boolean nocase, int depth, boolean[] skipLonger) {
        if (depth > 1000) {
            return false; // like Redis, bound the recursion of pathological patterns
        }
        while (pi < p.length && si <= s.length) {
            byte pc = p[pi];
            switch (pc) {
                case '*' -> {
                    while (pi + 1 < p.length && p[pi + 1] == '*') {
                        pi++;
                    }
                    if (pi + 1 == p.length) {
                        return true;
                    }
                    for (int k = si; k <= s.length; k++) {
                        if (match(p, pi + 1, s, k, nocase, depth + 1, skipLonger)) {
                            return true;
                        }
                        if (skipLonger[0]) {
                            return false;
                        }
                    }
                    skipLonger[0] = true;
                    return false;
                }
                case '?' -> {
                    if (si == s.length) {
                        return false;
                    }
                    si++;
                }
                case '[' -> {
                    if (si == s.length) {
                        return false;
                    }
                    pi++;
                    boolean not = pi < p.length && p[pi] == '^';
                    if (not) {
                        pi++;
                    }
                    boolean found = false;
                    while (true) {
                        if (pi >= p.length) {
                            pi--; // unterminated class: Redis treats the end as closing it
                            break;
                        }
                        if (p[pi] == '\\' && pi + 1 < p.length) {
                            pi++;
                            if (eq(p[pi], s[si], nocase)) {
                                found = true;
                            }
                        } else if (p[pi] == ']') {
                            break;
                        } else if (pi + 2 < p.length && p[pi + 1] == '-') {
                            int start = p[pi] & 0xff;
                            int end = p[pi + 2] & 0xff;
                            int c = s[si] & 0xff;
                            if (start > end) {
                                int t = start;
                                start = end;
                                end = t;
                            }
                            if (nocase) {
                                start = Character.toLowerCase(start);
                                end = Character.toLowerCase(end);
                                c = Character.toLowerCase(c);
                            }
                            pi += 2;
                            if (c >= start && c <= end) {
                                found = true;
                            }
                        } else if (eq(p[pi], s[si], nocase)) {
                            found = true;
                        }
                        pi++;
                    }
                    if (not) {
                        found = !found;
                    }
                    if (!found) {
                        return false;
                    }
                    si++;
                }
                case '\\' -> {
                    if (pi + 1 < p.length) {
                        pi++;
                    }
                    if (si == s.length || !eq(p[pi], s[si], nocase)) {
                        return false;
                    }
                    si++;
                }
                default -> {
                    if (si == s.length || !eq(pc, s[si], nocase)) {
                        return false;
                    }
                    si++;
                }
            }
            pi++;
        }
        return pi == p.length && si == s.length;
    }

    private static boolean eq(byte a, byte b, boolean nocase) {
        return a == b || (nocase && Character.toLowerCase(a & 0xff) == Character.toLowerCase(b & 0xff));
    }

    /**
     * The literal prefix every match of {@code pattern} starts with (up to the first special
     * character), so a scan can seek past everything before it.
     */
    public static byte[] literalPrefix(byte[] pattern) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < pattern.length; i++) {
            byte c = pattern[i];
            if (c == '*' || c == '?' || c == '[') {
                break;
            }
            if (c == '\\') {
                if (i + 1 >= pattern.length) {
                    break;
                }
                c = pattern[++i];
            }
            out.write(c);
        }
        return out.toByteArray();
    }
}
