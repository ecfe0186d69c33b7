package io.strata.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The subcommands that jars on the class path offer: each lists its command classes in {@value
 * #RESOURCE}, one class name per line ('#' starts a comment). strata-bench offers bench and stress
 * this way, so that strata-cli does not depend on it: the bench's peer engines (rocksdbjni, iq80
 * LevelDB) stay off the class path of {@code strata server}, {@code db} and {@code sst}, and the
 * launcher puts the bench's jars on it only for the commands that need them.
 */
final class ClassPathCommands {
    private ClassPathCommands() {}

    static final String RESOURCE = "META-INF/strata-commands";

    /** A new instance of each listed command class, in class-path order. */
    static List<Object> load(ClassLoader loader) {
        List<Object> commands = new ArrayList<>();
        try {
            for (URL list : Collections.list(loader.getResources(RESOURCE))) {
                for (String name : classNames(list)) {
                    commands.add(instantiate(loader, name, list));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the class path's " + RESOURCE, e);
        }
        return commands;
    }

    private static List<String> classNames(URL list) throws IOException {
        List<String> names = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(list.openStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                String name = line.replaceFirst("#.*", "").strip();
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    /** A listed class that cannot be made is a broken jar, not a user error. */
    private static Object instantiate(ClassLoader loader, String name, URL list) {
        try {
            return Class.forName(name, true, loader).getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(list + " names " + name + ", which cannot be made", e);
        }
    }
}
