package io.strata.version;

import io.strata.datadriven.DataDriven;
import io.strata.datadriven.Specs;
import io.strata.datadriven.TestCase;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link Version#overlapping}, case by case from {@code testdata/overlapping}: which files of a
 * level meet a user-key range, with level 0's widening (the range grows by each file it meets
 * and the scan restarts), after LevelDB's {@code FindFileTest}.
 */
class VersionOverlappingTest {
    private Version version = Version.empty();

    @TestFactory
    Stream<DynamicTest> overlapping() {
        return DataDriven.tests("overlapping", this::run);
    }

    private String run(TestCase c) {
        return switch (c.command()) {
            case "define" -> {
                version = Specs.levels(c.input()).version();
                yield Specs.describe(version);
            }
            case "overlapping" ->
                Specs.numbers(version.overlapping(
                        c.intArg("level"),
                        c.has("begin") ? Specs.userKey(c.arg("begin")) : null,
                        c.has("end") ? Specs.userKey(c.arg("end")) : null));
            default -> throw new TestCase.BadCase("unknown command " + c.command());
        };
    }
}
