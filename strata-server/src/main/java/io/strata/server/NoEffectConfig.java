package io.strata.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Redis parameters that mean nothing to Strata (encodings such as list-max-listpack-size,
 * eviction, forks, replicas, Redis Cluster, ...), listed with Redis's defaults in
 * {@code no-effect-config.tsv}: CONFIG GET shows the default or the value last set; CONFIG SET of
 * a mutable one is accepted and changes nothing else (a yes/no one only with yes or no, a
 * numeric one only with a number, so a tool's typo is not taken silently); an immutable one is
 * refused as Redis refuses it.
 *
 * <p>Thread-safe: the values set are in a concurrent map.
 */
final class NoEffectConfig {
    /**
     * A parameter's default, whether Redis lets CONFIG SET change it, and whether it is one of
     * Redis's hidden parameters (shown by CONFIG GET only when asked for by name).
     */
    record Default(String value, boolean mutable, boolean hidden) {}

    static final Map<String, Default> DEFAULTS = load();

    private final ConcurrentHashMap<String, String> values = new ConcurrentHashMap<>();

    String get(String name) {
        String v = values.get(name);
        return v != null ? v : DEFAULTS.get(name).value();
    }

    /**
     * @throws IllegalArgumentException with Redis's reason for a yes/no parameter given anything
     *     else, or a numeric one given what is not a number (with Redis's units: memory sizes
     *     such as maxmemory take 100mb)
     */
    void set(String name, String value) {
        String d = DEFAULTS.get(name).value();
        if (d.equals("yes") || d.equals("no")) {
            value = ConfigValues.yesNo(ConfigValues.toBool(value));
        } else if (value.matches("[0-9]+%") && d.matches("-?[0-9]+")) { // (maxmemory-clients takes 10%)
            if (Long.parseLong(value.substring(0, value.length() - 1)) > 100) {
                throw new IllegalArgumentException("percentage argument must be less or equal to 100");
            }
        } else if (d.matches("-?[0-9]+")) {
            ConfigValues.toMemory(value);
        }
        values.put(name, value);
    }

    private static Map<String, Default> load() {
        Map<String, Default> m = new LinkedHashMap<>();
        try (InputStream in = NoEffectConfig.class.getResourceAsStream("no-effect-config.tsv")) {
            if (in == null) {
                throw new IllegalStateException("no-effect-config.tsv is missing from the class path");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                m.put(f[0], new Default(f[1], f[2].equals("mutable"), f.length > 3 && f[3].equals("hidden")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Collections.unmodifiableMap(m);
    }
}
