package io.strata.cli;

import io.strata.util.FileNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Checks of the paths given on the command line, reported as usage errors. */
final class PathChecks {
    private PathChecks() {}

    /** {@code file} must be an existing regular file. */
    static void requireFile(Path file) {
        if (!Files.exists(file)) {
            throw new CliException(StrataCommand.USAGE, "no such file: " + file);
        }
        if (Files.isDirectory(file)) {
            throw new CliException(StrataCommand.USAGE, file + " is a directory, not a file");
        }
        if (!Files.isReadable(file)) {
            throw new CliException(StrataCommand.USAGE, "permission denied: " + file);
        }
    }

    /** {@code dir} must be an existing directory. */
    static void requireDirectory(Path dir) {
        if (!Files.exists(dir)) {
            throw new CliException(StrataCommand.USAGE, "no such directory: " + dir);
        }
        if (!Files.isDirectory(dir)) {
            throw new CliException(StrataCommand.USAGE, dir + " is not a directory");
        }
    }

    /** The names of the files in {@code dir} that belong to a store (tables, logs, CURRENT...). */
    static List<String> storeFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> FileNames.parse(n) != null)
                    .sorted()
                    .toList();
        }
    }

    /**
     * {@code dir} must hold a store: a CURRENT file. A directory with tables but no CURRENT is a
     * damaged store (exit 1); one with no store files at all is a usage error (exit 2).
     */
    static void requireStore(Path dir) throws IOException {
        requireDirectory(dir);
        if (Files.exists(dir.resolve(FileNames.CURRENT))) {
            return;
        }
        long tables = storeFiles(dir).stream()
                .filter(n -> FileNames.parse(n).kind() == FileNames.Kind.TABLE)
                .count();
        if (tables > 0) {
            throw new CliException(
                    StrataCommand.FAILED,
                    dir + " has no " + FileNames.CURRENT + " file but holds "
                            + Format.count(tables, "table", "tables") + ": the store's " + FileNames.CURRENT
                            + " is missing (run 'strata db verify' on it)");
        }
        throw new CliException(
                StrataCommand.USAGE, "no Strata store in " + dir + " (no " + FileNames.CURRENT + " file)");
    }
}
