package io.strata.datadriven;

import java.util.List;
import java.util.Map;

/**
 * One case of a data-driven test file: the command line (a name, then {@code key=value}
 * arguments and bare flags, in {@link #args} with "" as a flag's value), the input lines
 * before {@code ----}, and the expected output after it.
 *
 * @param file the file's name under {@code testdata/}
 * @param line the 1-based line of the command
 */
public record TestCase(
        String file, int line, String command, Map<String, String> args, List<String> input, String expected) {

    /** Where the case is, as {@code path:line} from the module's directory (Surefire's working directory). */
    public String where() {
        return DataDriven.SOURCE_DIR + file + ":" + line;
    }

    public boolean has(String key) {
        return args.containsKey(key);
    }

    /** The argument {@code key}, which the case must give. */
    public String arg(String key) {
        String v = args.get(key);
        if (v == null) {
            throw new BadCase(command + " needs " + key + "=");
        }
        return v;
    }

    public String arg(String key, String otherwise) {
        return args.getOrDefault(key, otherwise);
    }

    public int intArg(String key) {
        return Integer.parseInt(arg(key));
    }

    /** A size argument ({@link Specs#size}), or {@code otherwise}. */
    public long sizeArg(String key, long otherwise) {
        return has(key) ? Specs.size(arg(key)) : otherwise;
    }

    /** A mistake in the test file rather than in the code under test. */
    public static final class BadCase extends RuntimeException {
        public BadCase(String message) {
            super(message);
        }
    }
}
