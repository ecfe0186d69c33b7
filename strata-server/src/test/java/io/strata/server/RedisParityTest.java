package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-driven: the commands of {@code src/test/resources/parity/*.txt} go to Strata and to a real
 * redis-server alike, and every reply must be the same, byte for byte: arguments at and past their
 * bounds, wrong types of arguments, wrong numbers of them (issue 12, "bad input at the limits").
 * Each file says its format; where Strata differs from Redis on purpose, the case is left out and
 * the file's header says why.
 */
class RedisParityTest {
    @TempDir
    Path strataDir;

    @TempDir
    Path redisDir;

    @Test
    void limitsAnswerAsRedisDoes() throws Exception {
        compare("limits.txt");
    }

    private void compare(String file) throws Exception {
        List<List<String[]>> groups =
                parse(Files.readAllLines(Path.of("src", "test", "resources", "parity", file), StandardCharsets.UTF_8));
        List<String> differences = new ArrayList<>();
        int commands = 0;
        try (TestServer strata = TestServer.start(strataDir);
                RedisServerProcess redis = RedisServerProcess.start(redisDir);
                TestServer.RawClient s = strata.raw();
                TestServer.RawClient r =
                        new TestServer.RawClient(new Socket(InetAddress.getLoopbackAddress(), redis.port()))) {
            for (List<String[]> group : groups) {
                s.command("FLUSHALL").reply();
                r.command("FLUSHALL").reply();
                for (String[] command : group) {
                    commands++;
                    String got = s.command(command).reply();
                    String want = r.command(command).reply();
                    if (!got.equals(want)) {
                        differences.add(String.join(" ", command) + "\n    redis:  " + escape(want) + "\n    strata: "
                                + escape(got));
                    }
                }
            }
        }
        System.out.printf("RedisParityTest %s: %d commands, %d differ%n", file, commands, differences.size());
        assertThat(differences).as("replies that differ from redis-server's").isEmpty();
    }

    /** Groups of commands: a blank line ends a group; '#' starts a comment line. */
    private static List<List<String[]>> parse(List<String> lines) {
        List<List<String[]>> groups = new ArrayList<>();
        List<String[]> group = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                if (!group.isEmpty()) {
                    groups.add(group);
                    group = new ArrayList<>();
                }
            } else if (!line.startsWith("#")) {
                group.add(split(line));
            }
        }
        if (!group.isEmpty()) {
            groups.add(group);
        }
        return groups;
    }

    /** Words split on spaces; "" is an empty argument, and "a b" one argument with a space. */
    private static String[] split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean started = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                started = true;
            } else if (c == ' ' && !quoted) {
                if (started) {
                    words.add(word.toString());
                    word.setLength(0);
                    started = false;
                }
            } else {
                word.append(c);
                started = true;
            }
        }
        if (started) {
            words.add(word.toString());
        }
        return words.toArray(new String[0]);
    }

    private static String escape(String reply) {
        return reply.replace("\r\n", "\\r\\n");
    }
}
