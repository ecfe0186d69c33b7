package io.strata.tools;

import io.strata.util.FileNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The files of a store directory that belong to the store: tables, WAL segments, MANIFESTs, CURRENT, LOCK. */
public final class StoreFiles {
    private StoreFiles() {}

    /** The file that names the store's MANIFEST: a directory without it holds no store that can be opened. */
    public static final String CURRENT = FileNames.CURRENT;

    /** The names of the store's files in {@code dir}, sorted; other files in it are left out. */
    public static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> FileNames.parse(n) != null)
                    .sorted()
                    .toList();
        }
    }

    /** Whether {@code name} is the name of a table file. */
    public static boolean isTable(String name) {
        FileNames.Parsed p = FileNames.parse(name);
        return p != null && p.kind() == FileNames.Kind.TABLE;
    }
}
