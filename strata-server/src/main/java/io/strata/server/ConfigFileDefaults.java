package io.strata.server;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Makes a {@link ConfigFile} the defaults of {@code strata server}'s options: a directive is
 * an option's long name without dashes, so an option given on the command line overrides the
 * file (picocli asks a default value provider only about the options the command line did not
 * give, after parsing it, so the config file's path is known by then).
 *
 * <p>The whole file is checked when it is first needed, so that every directive in it is
 * known and well-formed even if the command line overrides it: an unknown name (with the
 * nearest known one), a value of the wrong kind (with what is expected), or a single-valued
 * option given twice is a usage error naming the file and line. Repeated lines of a
 * repeatable option ({@code write-filter}) give one value each, in order; they reach picocli
 * joined by newlines, which those options split on. Booleans are written {@code yes}/{@code no}
 * (or {@code true}/{@code false}), enums in any case.
 *
 * <p>Not thread-safe: picocli parses on one thread. The checked values are kept for the file
 * they came from, so a command line that is parsed again with another file reads that one.
 */
public final class ConfigFileDefaults implements CommandLine.IDefaultValueProvider {
    /** The file the values below came from, or null before the first load. */
    private Path loadedPath;
    /** Option long name without dashes → the default picocli converts. */
    private Map<String, String> values = Map.of();
    /** Option long name without dashes → "file:line" of (the first line of) its directive. */
    private Map<String, String> locations = Map.of();

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option)) {
            return null;
        }
        load(arg.command());
        return values.get(name(option));
    }

    /** "file:line: " where the config file set this option, or "" if it did not. */
    String location(CommandSpec spec, String name) {
        load(spec);
        String where = locations.get(name);
        return where == null ? "" : where + ": ";
    }

    private void load(CommandSpec spec) {
        Path path = ((ServerMain) spec.userObject()).configFile();
        if (path == null) {
            loadedPath = null;
            values = Map.of();
            locations = Map.of();
            return;
        }
        if (path.equals(loadedPath)) {
            return;
        }
        Map<String, OptionSpec> known = new LinkedHashMap<>();
        for (OptionSpec o : spec.options()) {
            if (!o.usageHelp() && !o.versionHelp() && !name(o).equals(ServerMain.CONFIG_OPTION)) {
                known.put(name(o), o);
            }
        }
        Map<String, String> v = new HashMap<>();
        Map<String, String> at = new HashMap<>();
        try {
            ConfigFile file = ConfigFile.read(path);
            for (ConfigFile.Directive d : file.directives) {
                OptionSpec o = known.get(d.name());
                if (o == null) {
                    throw new IllegalArgumentException(file.where(d) + ": unknown directive '" + d.name()
                            + "' (did you mean '" + nearest(d.name(), known.keySet()) + "'?)");
                }
                String value = check(o, d.value(), file.where(d));
                if (!at.containsKey(d.name())) {
                    v.put(d.name(), value);
                    at.put(d.name(), file.where(d));
                } else if (o.isMultiValue()) {
                    v.put(d.name(), v.get(d.name()) + "\n" + value);
                } else {
                    throw new IllegalArgumentException(file.where(d) + ": '" + d.name() + "' is already set at "
                            + at.get(d.name()) + " (only repeatable options may be given twice)");
                }
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        loadedPath = path;
        values = v;
        locations = at;
    }

    /** The value as picocli's converter for the option's type takes it, or an error saying what is expected. */
    private static String check(OptionSpec o, String value, String where) {
        Class<?> type = o.isMultiValue() ? o.auxiliaryTypes()[0] : o.type();
        String expected;
        if (type == boolean.class || type == Boolean.class) {
            switch (value.toLowerCase(Locale.ROOT)) {
                case "yes", "true" -> {
                    return "true";
                }
                case "no", "false" -> {
                    return "false";
                }
                default -> expected = "yes or no";
            }
        } else if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            try {
                return Long.toString(
                        type == int.class || type == Integer.class ? Integer.parseInt(value) : Long.parseLong(value));
            } catch (NumberFormatException e) {
                expected = type == int.class || type == Integer.class ? "an integer" : "an integer (bytes)";
            }
        } else if (type.isEnum()) {
            StringBuilder names = new StringBuilder();
            for (Object c : type.getEnumConstants()) {
                String name = ((Enum<?>) c).name();
                if (name.equalsIgnoreCase(value)) {
                    return name;
                }
                names.append(names.length() == 0 ? "" : ", ").append(name.toLowerCase(Locale.ROOT));
            }
            expected = "one of " + names;
        } else {
            return value; // strings and paths
        }
        throw new IllegalArgumentException(
                where + ": bad value '" + value + "' for '" + name(o) + "': expected " + expected);
    }

    static String name(OptionSpec o) {
        return o.longestName().replaceFirst("^-+", "");
    }

    /** The candidate with the least edit distance to {@code name}. */
    static String nearest(String name, Iterable<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = editDistance(name, c);
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Levenshtein distance (insertions, deletions, substitutions). */
    static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(substitute, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
