package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.StrataDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;

/** STRATA.CHECKPOINT writes only new directories below --checkpoint-dir; every way out is refused. */
class CheckpointConfinementTest {
    @TempDir
    Path data;

    /** The checkpoint directory is {@code root/checkpoints}, so {@code ../x} would land in root. */
    @TempDir
    Path root;

    @TempDir
    Path outside;

    Path base;
    TestServer server;
    Jedis j;

    @BeforeEach
    void start() {
        base = root.resolve("checkpoints");
        server = TestServer.start(data, c -> c.checkpointDir(base));
        j = new Jedis("127.0.0.1", server.port());
        j.set("k", "v");
    }

    @AfterEach
    void stop() {
        j.close();
        server.close();
    }

    private String checkpoint(String name) {
        return new String(
                (byte[]) j.sendCommand(() -> "STRATA.CHECKPOINT".getBytes(Protocol.CHARSET), name), Protocol.CHARSET);
    }

    private String refused(String name) {
        try {
            checkpoint(name);
        } catch (JedisDataException e) {
            return e.getMessage();
        }
        throw new AssertionError("STRATA.CHECKPOINT " + name + " was not refused");
    }

    private static long entries(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void namesBelowTheDirectoryAreWritten() throws Exception {
        assertThat(checkpoint("cp1")).isEqualTo("OK");
        assertThat(checkpoint("nested/deeper/cp2")).isEqualTo("OK");
        assertThat(checkpoint("nested/../cp3")).isEqualTo("OK"); // a .. that stays inside is fine
        assertThat(checkpoint(base.resolve("cp4").toString())).isEqualTo("OK"); // absolute, inside
        for (String cp : new String[] {"cp1", "nested/deeper/cp2", "cp3", "cp4"}) {
            try (StrataDb copy = StrataDb.open(base.resolve(cp))) {
                assertThat(copy.get("k".getBytes(Protocol.CHARSET))).as(cp).isNotNull();
            }
        }
        assertThat(refused("cp1")).isEqualTo("ERR checkpoint directory 'cp1' already exists");
        assertThat(j.configGet("checkpoint-dir")).containsEntry("checkpoint-dir", base.toString());
    }

    @Test
    void dotDotOutIsRefused() throws Exception {
        assertThat(refused("../x"))
                .isEqualTo("ERR checkpoint directory '../x' is outside the checkpoint directory " + base);
        assertThat(refused("a/../../x"))
                .isEqualTo("ERR checkpoint directory 'a/../../x' is outside the checkpoint directory " + base);
        assertThat(refused(".")).isEqualTo("ERR checkpoint directory '.' is outside the checkpoint directory " + base);
        assertThat(root.resolve("x")).doesNotExist();
        assertThat(entries(root)).as("nothing beside the checkpoint directory").isLessThanOrEqualTo(1);
    }

    @Test
    void absolutePathOutsideIsRefused() throws Exception {
        Path target = outside.resolve("x");
        assertThat(refused(target.toString()))
                .isEqualTo("ERR checkpoint directory '" + target + "' is outside the checkpoint directory " + base);
        assertThat(refused("/tmp/x"))
                .isEqualTo("ERR checkpoint directory '/tmp/x' is outside the checkpoint directory " + base);
        assertThat(entries(outside)).isZero();
        // the data directory itself is no place for a copy either
        assertThat(refused(data.resolve("cp").toString())).contains("is outside the checkpoint directory");
        assertThat(data.resolve("cp")).doesNotExist();
    }

    @Test
    void symbolicLinkLeadingOutIsRefused() throws Exception {
        Files.createDirectories(base);
        Files.createSymbolicLink(base.resolve("link"), outside);
        assertThat(refused("link/x"))
                .isEqualTo("ERR checkpoint directory 'link/x' leads outside the checkpoint " + "directory " + base
                        + " through a symbolic link");
        assertThat(refused("link/a/b")).contains("through a symbolic link");
        assertThat(refused("link")).isEqualTo("ERR checkpoint directory 'link' already exists");
        // a link to a directory that does not exist (yet): creating below it would create outside
        Files.createSymbolicLink(base.resolve("dangling"), outside.resolve("missing"));
        assertThat(refused("dangling/x")).startsWith("ERR cannot resolve checkpoint directory 'dangling/x' in " + base);
        assertThat(entries(outside)).as("nothing created outside").isZero();
        // a link that stays inside is followed
        Files.createDirectories(base.resolve("real"));
        Files.createSymbolicLink(base.resolve("inner"), base.resolve("real"));
        assertThat(checkpoint("inner/cp")).isEqualTo("OK");
        assertThat(base.resolve("real/cp")).isDirectory();
    }

    @Test
    void defaultIsACheckpointsDirectoryBesideTheDataDirectory() {
        assertThat(ServerConfig.defaultCheckpointDir(Path.of("/srv/strata/data")))
                .isEqualTo(Path.of("/srv/strata/checkpoints"));
        assertThat(new ServerConfig().dir(Path.of("/var/lib/strata/db")).checkpointDir())
                .isEqualTo(Path.of("/var/lib/strata/checkpoints"));
        assertThatThrownBy(() -> CheckpointPaths.resolve(base, ""))
                .hasMessage("invalid checkpoint directory: empty path");
    }
}
