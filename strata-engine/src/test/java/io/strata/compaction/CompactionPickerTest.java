package io.strata.compaction;

import io.strata.Options;
import io.strata.datadriven.DataDriven;
import io.strata.datadriven.Specs;
import io.strata.datadriven.TestCase;
import io.strata.version.FileMetaData;
import io.strata.version.Version;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link CompactionPicker}, case by case from {@code testdata/compaction_picker}: levels and
 * files in, the compaction it picks out (or none), after Pebble's compaction-picker tests.
 */
class CompactionPickerTest {
    private CompactionPicker picker;
    private Version version;
    private long targetFileSize;
    /** The compactions running: those a {@code run} started, and one per file marked busy. */
    private List<Compaction> running;

    private Compaction last;

    @TestFactory
    Stream<DynamicTest> compactionPicker() {
        return DataDriven.tests("compaction_picker", this::run);
    }

    private String run(TestCase c) {
        return switch (c.command()) {
            case "define" -> define(c);
            case "busy" -> {
                Set<Long> busy = new HashSet<>();
                c.args().keySet().forEach(n -> busy.add(Long.parseLong(n)));
                running = holding(busy);
                yield "busy: "
                        + (busy.isEmpty() ? "none" : String.join(" ", c.args().keySet()));
            }
            case "version" -> {
                Specs.Levels levels = Specs.levels(c.input());
                version = levels.version();
                running.addAll(holding(levels.busy()));
                yield Specs.describe(version);
            }
            case "run" -> {
                running.add(last);
                yield "running: " + running.size();
            }
            case "finish" -> {
                running.remove(0);
                yield "running: " + running.size();
            }
            case "pick" -> show(picker.pick(version, running));
            case "pick-range" ->
                show(picker.pickRange(
                        version,
                        c.intArg("level"),
                        c.has("begin") ? Specs.userKey(c.arg("begin")) : null,
                        c.has("end") ? Specs.userKey(c.arg("end")) : null,
                        running));
            case "pick-rewrite" -> {
                try {
                    yield show(picker.pickRewrite(version, c.intArg("level"), Long.parseLong(c.arg("file")), running));
                } catch (IllegalArgumentException e) {
                    yield "error: " + e.getMessage();
                }
            }
            case "compacted" -> {
                picker.compacted(last);
                yield "compacted " + last;
            }
            default -> throw new TestCase.BadCase("unknown command " + c.command());
        };
    }

    /** A new picker (no compact pointers) for new options and levels; prints the scores. */
    private String define(TestCase c) {
        Options options = new Options()
                .level0FileNumCompactionTrigger(Integer.parseInt(c.arg("l0-trigger", "4")))
                .maxBytesForLevelBase(c.sizeArg("base", 10 * 1024))
                .maxBytesForLevelMultiplier(Integer.parseInt(c.arg("multiplier", "10")))
                .targetFileSize(c.sizeArg("target", 4 * 1024));
        picker = new CompactionPicker(options);
        targetFileSize = options.targetFileSize();
        Specs.Levels levels = Specs.levels(c.input());
        version = levels.version();
        running = holding(levels.busy());
        last = null;
        double[] scores = picker.scores(version);
        StringBuilder sb = new StringBuilder();
        for (int level = 0; level < Version.NUM_LEVELS; level++) {
            if (version.numFiles(level) == 0) {
                continue;
            }
            sb.append(String.format(
                    Locale.ROOT,
                    "L%d: %d file%s, %s",
                    level,
                    version.numFiles(level),
                    version.numFiles(level) == 1 ? "" : "s",
                    Specs.size(version.levelBytes(level))));
            if (level < scores.length) {
                sb.append(level == 0 ? "" : " of " + Specs.size(picker.maxBytesForLevel(level)))
                        .append(String.format(Locale.ROOT, ", score %.2f", scores[level]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * A running compaction per busy file: a rewrite of it in its level, which holds the file and
     * writes nothing outside its range (so that "busy" means no more than "a compaction holds it").
     */
    private List<Compaction> holding(Set<Long> busy) {
        List<Compaction> held = new ArrayList<>();
        for (int level = 0; level < Version.NUM_LEVELS; level++) {
            for (FileMetaData f : version.files(level)) {
                if (busy.contains(f.number())) {
                    held.add(new Compaction(version, level, level, List.of(f), List.of(), List.of(), targetFileSize));
                }
            }
        }
        return held;
    }

    private String show(Compaction c) {
        last = c;
        if (c == null) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        sb.append('L').append(c.level()).append(" -> L").append(c.outputLevel());
        sb.append(c.outputLevel() == c.level() ? " (rewrite)\n" : "\n");
        sb.append("  L")
                .append(c.level())
                .append(": ")
                .append(Specs.numbers(c.inputs()))
                .append('\n');
        if (c.outputLevel() != c.level()) {
            sb.append("  L")
                    .append(c.outputLevel())
                    .append(": ")
                    .append(Specs.numbers(c.nextLevelInputs()))
                    .append('\n');
        }
        sb.append("  grandparents: ").append(Specs.numbers(c.grandparents())).append('\n');
        if (c.isTrivialMove()) {
            sb.append("  trivial move\n");
        }
        return sb.toString();
    }
}
