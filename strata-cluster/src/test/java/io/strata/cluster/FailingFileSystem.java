package io.strata.cluster;

import io.strata.fs.FileSystem;
import io.strata.fs.LocalFileSystem;
import io.strata.fs.ReadableFile;
import io.strata.fs.WritableFile;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** The local file system, until {@link #fail}: then every file it is asked to create fails, as a dying disk. */
final class FailingFileSystem implements FileSystem {
    private final FileSystem local = LocalFileSystem.INSTANCE;
    private final AtomicBoolean failing = new AtomicBoolean();

    void fail() {
        failing.set(true);
    }

    @Override
    public WritableFile create(Path path) throws IOException {
        if (failing.get()) {
            throw new IOException("injected I/O error creating " + path);
        }
        return local.create(path);
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
