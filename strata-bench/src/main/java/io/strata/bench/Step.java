package io.strata.bench;

/**
 * One workload of a plan: its name, its threads, and its own key count ({@code num} 0: the
 * invocation's), written {@code NAME[:THREADS][@NUM]} as on the command line.
 */
record Step(String name, int threads, int num) {
    /** Parses {@code NAME[:THREADS][@NUM]}; throws IllegalArgumentException if it names no workload. */
    static Step parse(String spec, int defaultThreads) {
        String rest = spec.trim();
        int num = 0;
        int at = rest.indexOf('@');
        if (at >= 0) {
            num = positive(spec, rest.substring(at + 1));
            rest = rest.substring(0, at);
        }
        int threads = defaultThreads;
        int colon = rest.indexOf(':');
        if (colon >= 0) {
            threads = positive(spec, rest.substring(colon + 1));
            rest = rest.substring(0, colon);
        }
        if (Workloads.named(rest) == null) {
            throw new IllegalArgumentException("unknown benchmark: " + rest + " (known: " + Workloads.names() + ")");
        }
        return new Step(rest, threads, num);
    }

    private static int positive(String spec, String s) {
        try {
            int v = Integer.parseInt(s);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("not NAME[:THREADS][@NUM] with positive numbers: " + spec);
    }

    Workload workload() {
        return Workloads.named(name);
    }

    /** Its settings: the invocation's, over its own key count if it has one. */
    BenchConfig config(BenchConfig invocation) {
        return num == 0 || num == invocation.num() ? invocation : invocation.withNum(num);
    }

    String label() {
        return name + (threads == 1 ? "" : ":" + threads) + (num == 0 ? "" : "@" + num);
    }
}
