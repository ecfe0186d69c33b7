package io.strata.server;

import io.strata.fs.FileSystem;
import io.strata.fs.LocalFileSystem;
import io.strata.fs.WritableFile;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The local file system, but once {@link #tearNextAppend} is called the next append to a
 * write-ahead-log segment writes only half its bytes and fails, as a dying disk or a crash in
 * the middle of a record would leave it. Every other call, and every later append, goes to the
 * local file system (through a proxy, so that only what differs is written here).
 */
final class TornWalFileSystem {
    /** A {@link Handler}'s answer for a call it leaves to the target. */
    private static final Object PASS = new Object();

    private final AtomicBoolean tear = new AtomicBoolean();
    private final FileSystem fs = forwarding(FileSystem.class, LocalFileSystem.INSTANCE, (m, a) -> {
        if (m.getName().equals("create")
                && ((Path) a[0]).getFileName().toString().endsWith(".wal")) {
            return tearing(LocalFileSystem.INSTANCE.create((Path) a[0]), (Path) a[0]);
        }
        return PASS;
    });

    FileSystem fileSystem() {
        return fs;
    }

    void tearNextAppend() {
        tear.set(true);
    }

    /** Whether the armed tear has happened. */
    boolean torn() {
        return !tear.get();
    }

    private WritableFile tearing(WritableFile file, Path path) {
        return forwarding(WritableFile.class, file, (m, a) -> {
            if (!m.getName().equals("append") || !tear.compareAndSet(true, false)) {
                return PASS;
            }
            byte[] data = (byte[]) a[0];
            int off = a.length == 3 ? (Integer) a[1] : 0;
            int len = a.length == 3 ? (Integer) a[2] : data.length;
            file.append(data, off, len / 2);
            throw new IOException("injected torn write: " + len / 2 + " of " + len + " bytes to " + path);
        });
    }

    /** Handles a call itself, returning its result, or returns {@link #PASS} for the target to handle it. */
    @FunctionalInterface
    private interface Handler {
        Object call(Method m, Object[] args) throws IOException;
    }

    private static <T> T forwarding(Class<T> type, T target, Handler handler) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, m, args) -> {
            Object[] a = args == null ? new Object[0] : args;
            Object result = handler.call(m, a);
            if (result != PASS) {
                return result;
            }
            try {
                return m.invoke(target, a);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }
}
