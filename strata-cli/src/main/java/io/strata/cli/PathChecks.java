package io.strata.cli;

import io.strata.tools.StoreFiles;
import io.strata.tools.Text;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
        return StoreFiles.names(dir);
    }

    /**
     * {@code dir} must hold a store: a CURRENT file. A directory with tables but no CURRENT is a
     * damaged store (exit 1); one with no store files at all is a usage error (exit 2).
     */
    static void requireStore(Path dir) throws IOException {
        requireDirectory(dir);
        if (Files.exists(dir.resolve(StoreFiles.CURRENT))) {
            return;
        }
        long tables = storeFiles(dir).stream().filter(StoreFiles::isTable).count();
        if (tables > 0) {
            throw new CliException(
                    StrataCommand.FAILED,
                    dir + " has no " + StoreFiles.CURRENT + " file but holds "
                            + Text.count(tables, "table", "tables") + ": the store's " + StoreFiles.CURRENT
                            + " is missing (run 'strata db verify' on it)");
        }
        throw new CliException(
                StrataCommand.USAGE, "no Strata store in " + dir + " (no " + StoreFiles.CURRENT + " file)");
    }
}
