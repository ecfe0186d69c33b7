package io.strata.fs;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Every file operation the engine performs goes through this interface, so that tests can
 * inject failures (failed writes or fsyncs, disk full, lost unsynced data, slow devices)
 * without a separate code path in production. {@link LocalFileSystem} is the real one.
 */
public interface FileSystem {
    /** Creates {@code path}, replacing any existing file, for sequential appends. */
    WritableFile create(Path path) throws IOException;

    /** Opens an existing file for positional reads. */
    ReadableFile openReadable(Path path) throws IOException;

    /** Atomically renames {@code source} to {@code target}, replacing {@code target}. */
    void rename(Path source, Path target) throws IOException;

    /** Deletes {@code path} if it exists. */
    void delete(Path path) throws IOException;

    boolean exists(Path path);

    /** File names (not paths) directly inside {@code dir}. */
    List<String> list(Path dir) throws IOException;

    void createDirectories(Path dir) throws IOException;

    /** Makes the directory's entries (creates, renames, deletes) durable. */
    void syncDirectory(Path dir) throws IOException;

    /** Creates a hard link {@code link} to {@code existing}. */
    void link(Path existing, Path link) throws IOException;

    /**
     * Takes an exclusive lock on {@code lockFile} (creating it) that other processes and
     * other opens in this process cannot take until it is closed.
     *
     * @throws LockHeldException if the lock is held elsewhere
     * @throws IOException if the lock file cannot be created or opened for writing
     */
    Closeable lock(Path lockFile) throws IOException;
}
