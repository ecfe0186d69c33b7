package io.strata.server;

import io.strata.fs.FileSystem;
import io.strata.fs.LocalFileSystem;
import io.strata.fs.ReadableFile;
import io.strata.fs.WritableFile;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The local file system, but once {@link #tearNextAppend} is called the next append to a
 * write-ahead-log segment writes only half its bytes and fails, as a dying disk or a crash in
 * the middle of a record would leave it. Every other operation, and every later append, works.
 */
final class TornWalFileSystem implements FileSystem {
    private final FileSystem local = LocalFileSystem.INSTANCE;
    private final AtomicBoolean tear = new AtomicBoolean();

    void tearNextAppend() {
        tear.set(true);
    }

    /** Whether the armed tear has happened. */
    boolean torn() {
        return !tear.get();
    }

    @Override
    public WritableFile create(Path path) throws IOException {
        WritableFile file = local.create(path);
        if (!path.getFileName().toString().endsWith(".wal")) {
            return file;
        }
        return new WritableFile() {
            @Override
            public void append(byte[] data, int off, int len) throws IOException {
                if (tear.compareAndSet(true, false)) {
                    file.append(data, off, len / 2);
                    throw new IOException("injected torn write: " + len / 2 + " of " + len + " bytes to " + path);
                }
                file.append(data, off, len);
            }

            @Override
            public void sync() throws IOException {
                file.sync();
            }

            @Override
            public long size() {
                return file.size();
            }

            @Override
            public void truncate(long size) throws IOException {
                file.truncate(size);
            }

            @Override
            public void close() throws IOException {
                file.close();
            }
        };
    }

    @Override
    public ReadableFile openReadable(Path path) throws IOException {
        return local.openReadable(path);
    }

    @Override
    public void rename(Path source, Path target) throws IOException {
        local.rename(source, target);
    }

    @Override
    public void delete(Path path) throws IOException {
        local.delete(path);
    }

    @Override
    public boolean exists(Path path) {
        return local.exists(path);
    }

    @Override
    public List<String> list(Path dir) throws IOException {
        return local.list(dir);
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        local.createDirectories(dir);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        local.syncDirectory(dir);
    }

    @Override
    public void link(Path existing, Path link) throws IOException {
        local.link(existing, link);
    }

    @Override
    public Closeable lock(Path lockFile) throws IOException {
        return local.lock(lockFile);
    }
}
