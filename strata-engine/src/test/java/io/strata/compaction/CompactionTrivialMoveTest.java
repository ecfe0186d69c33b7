package io.strata.compaction;

import io.strata.datadriven.DataDriven;
import io.strata.datadriven.Specs;
import io.strata.datadriven.TestCase;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** {@link Compaction#isTrivialMove}, case by case from {@code testdata/trivial_move}. */
class CompactionTrivialMoveTest {
    @TestFactory
    Stream<DynamicTest> trivialMove() {
        return DataDriven.tests("trivial_move", "compaction", CompactionTrivialMoveTest::run);
    }

    private static String run(TestCase c) {
        Compaction compaction = CompactionSpecs.compaction(c);
        return "grandparents " + Specs.size(CompactionSpecs.bytes(compaction.grandparents())) + ", limit "
                + Specs.size(10 * compaction.maxOutputFileSize()) + ": "
                + (compaction.isTrivialMove() ? "trivial move" : "not a trivial move");
    }
}
