package io.strata.compaction;

import io.strata.datadriven.Specs;
import io.strata.datadriven.TestCase;
import io.strata.version.FileMetaData;
import io.strata.version.Version;
import java.util.List;
import java.util.Map;

/**
 * A {@link Compaction} made directly from a case, without the picker: {@code level=N
 * [output=M] [target=SIZE]} (output level + 1 and target 4K unless given) and sections
 * {@code inputs}, {@code next} and {@code grandparents} of file lines.
 */
final class CompactionSpecs {
    private CompactionSpecs() {}

    static Compaction compaction(TestCase c) {
        Map<String, List<String>> sections = Specs.sections(c.input());
        int level = c.intArg("level");
        return new Compaction(
                Version.empty(),
                level,
                Integer.parseInt(c.arg("output", Integer.toString(level + 1))),
                Specs.files(sections, "inputs"),
                Specs.files(sections, "next"),
                Specs.files(sections, "grandparents"),
                c.sizeArg("target", 4 * 1024));
    }

    static long bytes(List<FileMetaData> files) {
        return files.stream().mapToLong(FileMetaData::fileSize).sum();
    }
}
