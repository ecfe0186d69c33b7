package io.strata.compaction;

import io.strata.datadriven.DataDriven;
import io.strata.datadriven.Specs;
import io.strata.datadriven.TestCase;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link Compaction#shouldStopBefore}, case by case from {@code testdata/should_stop_before}:
 * the keys of a compaction's output in order, each answered {@code go} or {@code stop}.
 */
class CompactionShouldStopBeforeTest {
    @TestFactory
    Stream<DynamicTest> shouldStopBefore() {
        return DataDriven.tests("should_stop_before", "compaction", CompactionShouldStopBeforeTest::run);
    }

    private static String run(TestCase c) {
        Compaction compaction = CompactionSpecs.compaction(c);
        List<String> keys = Specs.sections(c.input()).getOrDefault("keys", List.of());
        StringBuilder out = new StringBuilder();
        for (String key : keys) {
            boolean stop = compaction.shouldStopBefore(Specs.key(key));
            out.append(key).append(": ").append(stop ? "stop" : "go").append('\n');
        }
        return out.toString();
    }
}
