package io.strata.stress;

import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

/** How often each {@link Op} is drawn, in percent (they add up to 100). */
final class OpMix {
    static final Map<Op, Integer> DEFAULT =
            Map.of(Op.GET, 25, Op.PUT, 35, Op.DELETE, 10, Op.BATCH, 15, Op.SCAN, 10, Op.SNAPSHOT, 5);

    private final Op[] byPercent = new Op[100];

    /** @throws IllegalArgumentException unless the percentages are non-negative and add up to 100 */
    OpMix(Map<Op, Integer> percents) {
        Map<Op, Integer> all = new EnumMap<>(Op.class);
        all.putAll(percents);
        int at = 0;
        for (Map.Entry<Op, Integer> e : all.entrySet()) {
            if (e.getValue() < 0 || at + e.getValue() > 100) {
                throw new IllegalArgumentException(
                        "--op-mix percentages must be non-negative and add up to 100: " + all);
            }
            for (int i = 0; i < e.getValue(); i++) {
                byPercent[at++] = e.getKey();
            }
        }
        if (at != 100) {
            throw new IllegalArgumentException("--op-mix percentages must add up to 100, not " + at + ": " + all);
        }
    }

    Op draw(SplittableRandom rnd) {
        return byPercent[rnd.nextInt(100)];
    }
}
