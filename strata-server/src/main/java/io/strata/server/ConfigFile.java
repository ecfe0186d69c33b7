package io.strata.server;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A configuration file in Redis's style: one {@code name value} directive per line, the name
 * first (case-insensitive), then white space, then the value (the rest of the line, trimmed;
 * double quotes around it are removed, so {@code requirepass ""} or a value with a leading
 * {@code #} can be written). Lines whose first non-blank character is {@code #} are comments;
 * blank lines are skipped. What the names mean is the reader's business
 * ({@link ConfigFileDefaults}).
 */
final class ConfigFile {
    /** One directive and the line (from 1) it is on. */
    record Directive(String name, String value, int line) {}

    final Path path;
    final List<Directive> directives;

    private ConfigFile(Path path, List<Directive> directives) {
        this.path = path;
        this.directives = directives;
    }

    /** Reads and splits the file; any problem is an {@link IllegalArgumentException} saying where. */
    static ConfigFile read(Path path) {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("cannot read config file " + path + ": no such file");
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("cannot read config file " + path + ": permission denied");
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("cannot read config file " + path + ": not UTF-8 text");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config file " + path + ": " + e.getMessage());
        }
        List<Directive> directives = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = 0;
            while (space < line.length() && !Character.isWhitespace(line.charAt(space))) {
                space++;
            }
            String name = line.substring(0, space).toLowerCase(Locale.ROOT);
            String value = line.substring(space).strip();
            if (value.isEmpty()) {
                throw new IllegalArgumentException(
                        path + ":" + (i + 1) + ": '" + name + "' needs a value (write: " + name + " VALUE)");
            }
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            directives.add(new Directive(name, value, i + 1));
        }
        return new ConfigFile(path, List.copyOf(directives));
    }

    /** "file:line", for messages. */
    String where(Directive d) {
        return path + ":" + d.line();
    }
}
