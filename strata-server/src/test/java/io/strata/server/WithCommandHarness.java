package io.strata.server;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A command test's setup: each test runs against a fresh {@link CommandHarness} in its own directory. */
abstract class WithCommandHarness {
    @TempDir
    Path dir;

    CommandHarness h;

    @BeforeEach
    void open() {
        h = CommandHarness.open(dir);
    }

    @AfterEach
    void close() {
        h.close();
    }

    /** A string of bytes, each given as one character 0-255. */
    static byte[] b(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }
}
