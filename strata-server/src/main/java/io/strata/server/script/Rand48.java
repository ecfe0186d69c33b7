package io.strata.server.script;

/**
 * math.random and math.randomseed as Redis's Lua has them: Redis's own rand48, so a script's
 * random numbers are the same on every server given the same seed (Redis 7 no longer reseeds
 * before each script: the sequence continues across scripts until math.randomseed).
 *
 * <p>Guarded by the sandbox's lock, as every script's state.
 */
final class Rand48 {
    private static final long MASK = (1L << 48) - 1;
    private static final int MAX = Integer.MAX_VALUE;

    /** Redis's initial state: X2 X1 X0 = 0x1234 0xABCD 0x330E. */
    private long x = 0x1234ABCD330EL;

    /** redisSrand48: the seed's low 32 bits above 0x330E. */
    void seed(int seed) {
        x = (((long) seed & 0xFFFFFFFFL) << 16) | 0x330E;
    }

    /** redisLrand48: the next 31 bits. */
    private int next() {
        x = (0x5DEECE66DL * x + 0xB) & MASK;
        return (int) (x >>> 17);
    }

    /** A number in [0, 1), as redis_math_random computes it. */
    double nextDouble() {
        return (double) (next() % MAX) / MAX;
    }
}
