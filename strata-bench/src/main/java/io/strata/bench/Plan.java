package io.strata.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The child JVMs of an invocation, in order. In each round every variant runs all the steps on
 * its own store, one after the other, each step on what the one before left; the variants take
 * turns, each round starting with the next one, so that drift of the machine hits them alike.
 */
record Plan(List<Launch> launches, List<String> notes) {
    static Plan of(List<Step> steps, List<Variant> variants, int rounds, BenchConfig config) {
        List<Launch> launches = new ArrayList<>();
        Set<String> notes = new LinkedHashSet<>();
        for (int round = 1; round <= rounds; round++) {
            for (int k = 0; k < variants.size(); k++) {
                Variant v = variants.get((k + round - 1) % variants.size());
                int loaded = 0; // the store holds each key of [0, loaded), or (0) not known to
                for (Step s : steps) {
                    Workload w = s.workload();
                    if (w.backwards() && !v.engine().iteratesBackwards()) {
                        notes.add(s.label() + " did not run on " + v.engine().label()
                                + ": its cursors move forwards only");
                        continue;
                    }
                    int num = s.config(config).num();
                    boolean fresh = w.fresh();
                    if (!fresh && loaded != num) {
                        Step load = new Step("fillrandom", 1, s.num());
                        launches.add(new Launch(round, v, load, true, false));
                    }
                    launches.add(new Launch(round, v, s, fresh, true));
                    loaded = w.leavesLoaded() ? num : 0;
                }
            }
        }
        return new Plan(List.copyOf(launches), List.copyOf(notes));
    }
}
