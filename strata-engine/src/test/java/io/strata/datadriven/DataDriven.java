package io.strata.datadriven;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.AssertionFailedError;

/**
 * Data-driven tests after Pebble's: a file under {@code src/test/resources/testdata/} holds
 * cases (a command, input lines, {@code ----}, the expected output; the format is in that
 * directory's README.md), and a test class turns each case into a JUnit dynamic test that runs
 * the command and compares what it prints with the expected text. Cases run in file order and
 * may build on state an earlier case set up (a {@code define}); a failure names the file and
 * line of its case and shows both texts.
 */
public final class DataDriven {
    /** Where the files are, from the module's directory. */
    public static final String SOURCE_DIR = "src/test/resources/testdata/";

    private static final String SEPARATOR = "----";

    private DataDriven() {}

    /** Runs one case and returns what it prints. */
    @FunctionalInterface
    public interface Command {
        String run(TestCase c) throws Exception;
    }

    /** One dynamic test per case of {@code testdata/<file>}, run by {@code command}. */
    public static Stream<DynamicTest> tests(String file, Command command) {
        return parse(file, read(file)).stream()
                .map(c -> DynamicTest.dynamicTest(file + ":" + c.line() + " " + c.command(), () -> check(c, command)));
    }

    /** As {@link #tests(String, Command)}, for a file whose every case is the command {@code name}. */
    public static Stream<DynamicTest> tests(String file, String name, Command command) {
        return tests(file, c -> {
            if (!c.command().equals(name)) {
                throw new TestCase.BadCase("unknown command " + c.command() + " (this file has only " + name + ")");
            }
            return command.run(c);
        });
    }

    private static void check(TestCase c, Command command) {
        String actual;
        try {
            actual = normalize(command.run(c));
        } catch (TestCase.BadCase e) {
            throw new AssertionError(c.where() + ": bad case: " + e.getMessage(), e);
        } catch (Exception e) {
            throw new AssertionError(c.where() + ": " + c.command() + " threw " + e, e);
        }
        if (!actual.equals(c.expected())) {
            throw new AssertionFailedError(
                    c.where() + ": " + c.command() + " printed other output\n--- expected\n" + c.expected()
                            + "\n--- actual\n" + actual + "\n",
                    c.expected(),
                    actual);
        }
    }

    /** Trailing spaces of each line and trailing empty lines do not count. */
    private static String normalize(String out) {
        return out.lines()
                .map(String::stripTrailing)
                .reduce((a, b) -> a + "\n" + b)
                .orElse("")
                .stripTrailing();
    }

    private static List<String> read(String file) {
        try (InputStream in = DataDriven.class.getResourceAsStream("/testdata/" + file)) {
            if (in == null) {
                throw new IllegalStateException("no " + SOURCE_DIR + file + " on the test class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + SOURCE_DIR + file, e);
        }
    }

    static List<TestCase> parse(String file, List<String> lines) {
        List<TestCase> cases = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                i++;
                continue;
            }
            int commandLine = i + 1;
            List<String> input = new ArrayList<>();
            for (i++; i < lines.size() && !lines.get(i).strip().equals(SEPARATOR); i++) {
                if (lines.get(i).isBlank()) {
                    throw new IllegalStateException(SOURCE_DIR + file + ":" + (i + 1) + ": blank line before the "
                            + SEPARATOR + " of the case at line " + commandLine);
                }
                input.add(lines.get(i).stripTrailing());
            }
            if (i == lines.size()) {
                throw new IllegalStateException(
                        SOURCE_DIR + file + ":" + commandLine + ": no " + SEPARATOR + " line after the command");
            }
            List<String> expected = new ArrayList<>();
            for (i++; i < lines.size() && !lines.get(i).isBlank(); i++) {
                expected.add(lines.get(i).stripTrailing());
            }
            String[] words = Specs.words(line);
            Map<String, String> args = new LinkedHashMap<>();
            for (int w = 1; w < words.length; w++) {
                int eq = words[w].indexOf('=');
                args.put(eq < 0 ? words[w] : words[w].substring(0, eq), eq < 0 ? "" : words[w].substring(eq + 1));
            }
            cases.add(new TestCase(file, commandLine, words[0], args, List.copyOf(input), String.join("\n", expected)));
        }
        return cases;
    }
}
