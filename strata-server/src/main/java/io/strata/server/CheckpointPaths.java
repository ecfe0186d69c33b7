package io.strata.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Where STRATA.CHECKPOINT may write: only new directories below the checkpoint directory the
 * operator chose ({@code --checkpoint-dir}), so a client cannot make the server write a copy of
 * the store anywhere else on its disk. A name is resolved against that directory; it is refused
 * when it is empty, when its {@code ..} segments or an absolute path leave the directory, when an
 * existing part of it is a symbolic link leading out (the real paths of the existing parts must
 * stay below the directory's real path), and when the target exists.
 *
 * <p>The checks run before the copy starts; a process that can itself write inside the checkpoint
 * directory could still swap a directory for a link in between, which needs local access the
 * client of a command does not have.
 */
final class CheckpointPaths {
    private CheckpointPaths() {}

    /**
     * The path the checkpoint named {@code name} is to be written to (its real parent's path, so
     * no link is followed afterwards); creates the checkpoint directory if it does not exist.
     *
     * @throws IllegalArgumentException with the reason, Redis-style without the "ERR "
     */
    static Path resolve(Path checkpointDir, String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("invalid checkpoint directory: empty path");
        }
        Path given;
        try {
            given = Path.of(name);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("invalid checkpoint directory: " + e.getMessage(), e);
        }
        Path base = checkpointDir.toAbsolutePath().normalize();
        Path target = base.resolve(given).normalize();
        String quoted = "'" + Request.abbreviate(name, 256) + "'";
        if (!target.startsWith(base) || target.equals(base)) {
            throw new IllegalArgumentException(
                    "checkpoint directory " + quoted + " is outside the checkpoint directory " + base);
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("checkpoint directory " + quoted + " already exists");
        }
        try {
            Files.createDirectories(base);
            Path realBase = base.toRealPath();
            // The deepest part of the target that exists, a link included (a dangling one fails toRealPath).
            Path existing = target.getParent();
            while (!Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                existing = existing.getParent();
            }
            Path realExisting = existing.toRealPath();
            if (!realExisting.startsWith(realBase)) {
                throw new IllegalArgumentException("checkpoint directory " + quoted
                        + " leads outside the checkpoint directory " + base + " through a symbolic link");
            }
            return realExisting.resolve(existing.relativize(target));
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot resolve checkpoint directory " + quoted + " in " + base + ": " + e, e);
        }
    }
}
