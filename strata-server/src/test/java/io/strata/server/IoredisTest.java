package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Node.js's ioredis against a server this test starts: the tests of {@code src/test/node}, run
 * by Node's own test runner. Their library is installed by {@code npm ci} there, which .ci/run
 * does; where it is not installed the test is skipped, except in CI (CI=true), where it fails.
 */
class IoredisTest {
    /** The tests of src/test/node/*.test.js: a passing run must have run every one. */
    private static final int TESTS = 8;

    private static final Path NODE_TESTS = Path.of("src", "test", "node");

    @TempDir
    Path dir;

    @Test
    void ioredisTestsPass() throws Exception {
        boolean installed = Files.isDirectory(NODE_TESTS.resolve("node_modules").resolve("ioredis"));
        assertThat(installed || !"true".equals(System.getenv("CI")))
                .as("CI runs without ioredis: .ci/run runs npm ci in " + NODE_TESTS)
                .isTrue();
        Assumptions.assumeTrue(installed, "ioredis is not installed: npm ci --prefix " + NODE_TESTS);
        try (TestServer server = TestServer.start(dir)) {
            ProcessBuilder pb = new ProcessBuilder("node", "--test", "--test-reporter=tap")
                    .directory(NODE_TESTS.toFile())
                    .redirectErrorStream(true);
            pb.environment().put("STRATA_PORT", Integer.toString(server.port()));
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(out).isTrue();
            System.out.println("IoredisTest: " + summary(out));
            assertThat(p.exitValue()).as(out).isZero();
            assertThat(count(out, "pass")).as(out).isEqualTo(TESTS);
            assertThat(count(out, "fail")).as(out).isZero();
        }
    }

    /** TAP's "# pass N" (or fail) line's N. */
    private static int count(String tap, String what) {
        Matcher m = Pattern.compile("(?m)^# " + what + " (\\d+)$").matcher(tap);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static String summary(String tap) {
        return "pass " + count(tap, "pass") + ", fail " + count(tap, "fail");
    }
}
