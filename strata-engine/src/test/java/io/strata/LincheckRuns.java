package io.strata;

/**
 * How many scenarios the Lincheck tests generate: few in CI, where model checking is slow on
 * two cores; {@code -Dstrata.lincheck.iterations=N} sets every test's count for a long run.
 */
public final class LincheckRuns {
    private LincheckRuns() {}

    /** {@code ciDefault}, unless {@code strata.lincheck.iterations} is set. */
    public static int iterations(int ciDefault) {
        int n = Integer.getInteger("strata.lincheck.iterations", ciDefault);
        System.out.printf("Lincheck: %d scenarios (-Dstrata.lincheck.iterations=N for more)%n", n);
        return n;
    }
}
