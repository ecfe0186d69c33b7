package io.strata.fs;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** The file system of the machine, through {@link FileChannel}. */
public final class LocalFileSystem implements FileSystem {
    public static final LocalFileSystem INSTANCE = new LocalFileSystem();

    private LocalFileSystem() {}

    @Override
    public WritableFile create(Path path) throws IOException {
        FileChannel ch = FileChannel.open(
                path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        return new ChannelWritableFile(ch);
    }

    @Override
    public ReadableFile openReadable(Path path) throws IOException {
        return new ChannelReadableFile(FileChannel.open(path, StandardOpenOption.READ));
    }

    @Override
    public void rename(Path source, Path target) throws IOException {
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void delete(Path path) throws IOException {
        Files.deleteIfExists(path);
    }

    @Override
    public boolean exists(Path path) {
        return Files.exists(path);
    }

    @Override
    public List<String> list(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path p : stream) {
                names.add(p.getFileName().toString());
            }
        }
        return names;
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        Files.createDirectories(dir);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        // Opening a directory for READ and forcing it is how the JDK fsyncs a directory on Linux.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    @Override
    public void link(Path existing, Path link) throws IOException {
        Files.createLink(link, existing);
    }

    @Override
    public Closeable lock(Path lockFile) throws IOException {
        FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            throw new LockHeldException("lock " + lockFile + " is held by another process or another open store");
        }
        FileLock held = lock;
        return () -> {
            try {
                held.release();
            } finally {
                ch.close();
            }
        };
    }

    private static final class ChannelWritableFile implements WritableFile {
        private final FileChannel ch;
        private long size;

        ChannelWritableFile(FileChannel ch) {
            this.ch = ch;
        }

        @Override
        public void append(byte[] data, int off, int len) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(data, off, len);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            size += len;
        }

        @Override
        public void sync() throws IOException {
            ch.force(false);
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public void truncate(long newSize) throws IOException {
            ch.truncate(newSize);
            ch.position(newSize);
            size = newSize;
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }

    private static final class ChannelReadableFile implements ReadableFile {
        private final FileChannel ch;

        ChannelReadableFile(FileChannel ch) {
            this.ch = ch;
        }

        @Override
        public void readFully(long position, byte[] dst, int off, int len) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(dst, off, len);
            long pos = position;
            while (buf.hasRemaining()) {
                int n = ch.read(buf, pos);
                if (n < 0) {
                    throw new EOFException(
                            "end of file at offset " + pos + " reading " + len + " bytes at " + position);
                }
                pos += n;
            }
        }

        @Override
        public long size() throws IOException {
            return ch.size();
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}
