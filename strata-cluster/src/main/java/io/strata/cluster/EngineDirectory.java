package io.strata.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * The live engine's directory, which a snapshot replaces: the snapshot's files are put into a
 * sibling directory (tables hard linked: they never change; everything else copied, since the
 * engine appends to its MANIFEST), synced, and then swapped in for the old directory. A crash
 * in between leaves either the old engine or the new one, and a node whose engine is older than
 * its newest snapshot installs it again when it starts ({@link StoreStateMachine#initialize}).
 */
final class EngineDirectory {
    private final Path dir;

    EngineDirectory(Path dir) {
        this.dir = dir;
    }

    Path path() {
        return dir;
    }

    /** Replaces the directory's contents with the checkpoint in {@code snapshot}. The engine must be closed. */
    void install(Path snapshot) {
        Path next = dir.resolveSibling(dir.getFileName() + ".installing");
        Path old = dir.resolveSibling(dir.getFileName() + ".replaced");
        try {
            CheckpointSnapshots.deleteTree(next);
            CheckpointSnapshots.deleteTree(old);
            Files.createDirectories(next);
            List<Path> files;
            try (Stream<Path> s = Files.list(snapshot)) {
                files = s.filter(Files::isRegularFile).toList();
            }
            for (Path f : files) {
                Path target = next.resolve(f.getFileName().toString());
                if (f.getFileName().toString().endsWith(".sst")) {
                    try {
                        Files.createLink(target, f);
                        continue;
                    } catch (IOException | UnsupportedOperationException e) {
                        // another file system: copy it
                    }
                }
                Files.copy(f, target, StandardCopyOption.COPY_ATTRIBUTES);
                try (FileChannel c = FileChannel.open(target, StandardOpenOption.WRITE)) {
                    c.force(true);
                }
            }
            if (Files.exists(dir)) {
                Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(next, dir, StandardCopyOption.ATOMIC_MOVE);
            CheckpointSnapshots.deleteTree(old);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot install snapshot " + snapshot + " into " + dir + ": " + e.getMessage(), e);
        }
    }
}
