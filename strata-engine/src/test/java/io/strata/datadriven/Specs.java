package io.strata.datadriven;

import io.strata.key.InternalKey;
import io.strata.key.ValueType;
import io.strata.version.FileMetaData;
import io.strata.version.Version;
import io.strata.version.VersionEdit;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The notation the data-driven files share (testdata/README.md): internal keys {@code a#5}
 * (a value) and {@code a#5,DEL} (a tombstone), sizes {@code 512}, {@code 4K}, {@code 2M}, files
 * {@code 7: a#5-c#3 size=4K busy}, and sections: an unindented header line followed by its
 * indented lines (levels {@code L0}..{@code L6} of a version, for one).
 */
public final class Specs {
    private Specs() {}

    public static byte[] userKey(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static String userKey(byte[] userKey) {
        return new String(userKey, StandardCharsets.UTF_8);
    }

    /** The words of a line, split at runs of white space. */
    public static String[] words(String line) {
        return line.strip().split("\\s+", -1);
    }

    /** {@code user#seq}, {@code user#seq,SET} or {@code user#seq,DEL}. */
    public static byte[] key(String spec) {
        int hash = spec.lastIndexOf('#');
        if (hash <= 0) {
            throw new TestCase.BadCase("not a key (user#seq[,DEL]): " + spec);
        }
        String rest = spec.substring(hash + 1);
        int type = ValueType.VALUE;
        int comma = rest.indexOf(',');
        if (comma >= 0) {
            type = switch (rest.substring(comma + 1)) {
                case "SET" -> ValueType.VALUE;
                case "DEL" -> ValueType.DELETION;
                default -> throw new TestCase.BadCase("unknown key type in " + spec);
            };
            rest = rest.substring(0, comma);
        }
        return InternalKey.encode(userKey(spec.substring(0, hash)), Long.parseLong(rest), type);
    }

    /** The notation of {@link #key(String)}; values print without a type. */
    public static String key(byte[] ikey) {
        return userKey(InternalKey.userKey(ikey)) + "#" + InternalKey.sequence(ikey)
                + (InternalKey.type(ikey) == ValueType.DELETION ? ",DEL" : "");
    }

    /** Bytes, or kibibytes or mebibytes with a K or M suffix. */
    public static long size(String s) {
        if (s.endsWith("K")) {
            return Long.parseLong(s.substring(0, s.length() - 1)) * 1024;
        }
        if (s.endsWith("M")) {
            return Long.parseLong(s.substring(0, s.length() - 1)) * 1024 * 1024;
        }
        return Long.parseLong(s);
    }

    public static String size(long bytes) {
        return bytes % 1024 == 0 && bytes != 0 ? bytes / 1024 + "K" : Long.toString(bytes);
    }

    /** A file line and its bare flags ({@code busy}). */
    public record FileSpec(FileMetaData file, Set<String> flags) {}

    /** {@code number: smallest-largest [size=N] [flag...]}; the size is 1K unless given. */
    public static FileSpec file(String line) {
        String[] words = words(line);
        if (words.length < 2 || !words[0].endsWith(":") || words[1].indexOf('-') < 0) {
            throw new TestCase.BadCase("not a file (number: smallest-largest [size=N]): " + line);
        }
        long number = Long.parseLong(words[0].substring(0, words[0].length() - 1));
        int dash = words[1].indexOf('-');
        byte[] smallest = key(words[1].substring(0, dash));
        byte[] largest = key(words[1].substring(dash + 1));
        if (InternalKey.compare(smallest, largest) > 0) {
            throw new TestCase.BadCase("smallest key after largest: " + line);
        }
        long size = 1024;
        Set<String> flags = new HashSet<>();
        for (int i = 2; i < words.length; i++) {
            if (words[i].startsWith("size=")) {
                size = size(words[i].substring("size=".length()));
            } else {
                flags.add(words[i]);
            }
        }
        return new FileSpec(new FileMetaData(number, size, smallest, largest), flags);
    }

    public static String file(FileMetaData f) {
        return f.number() + ": " + key(f.smallest()) + "-" + key(f.largest()) + " size=" + size(f.fileSize());
    }

    /** The lines of each section, by header, in file order. */
    public static Map<String, List<String>> sections(List<String> input) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : input) {
            if (!Character.isWhitespace(line.charAt(0))) {
                current = new ArrayList<>();
                if (out.put(line.strip(), current) != null) {
                    throw new TestCase.BadCase("section " + line.strip() + " given twice");
                }
            } else if (current == null) {
                throw new TestCase.BadCase("indented line before any section header: " + line);
            } else {
                current.add(line.strip());
            }
        }
        return out;
    }

    /** The files of one section ({@code none} when it is absent). */
    public static List<FileMetaData> files(Map<String, List<String>> sections, String header) {
        return sections.getOrDefault(header, List.of()).stream()
                .map(l -> file(l).file())
                .toList();
    }

    /** A version and the numbers of the files flagged {@code busy}. */
    public record Levels(Version version, Set<Long> busy) {}

    /**
     * A version from sections {@code L0}..{@code L6} of file lines. Levels 1 and up must hold
     * files of disjoint user-key ranges, as the engine keeps them.
     */
    public static Levels levels(List<String> input) {
        VersionEdit edit = new VersionEdit();
        Set<Long> busy = new HashSet<>();
        Set<Long> numbers = new HashSet<>();
        for (Map.Entry<String, List<String>> s : sections(input).entrySet()) {
            if (!s.getKey().matches("L[0-6]")) {
                throw new TestCase.BadCase("not a level (L0..L6): " + s.getKey());
            }
            int level = s.getKey().charAt(1) - '0';
            for (String line : s.getValue()) {
                FileSpec f = file(line);
                if (!numbers.add(f.file().number())) {
                    throw new TestCase.BadCase("file " + f.file().number() + " defined twice");
                }
                edit.addFile(level, f.file());
                if (f.flags().remove("busy")) {
                    busy.add(f.file().number());
                }
                if (!f.flags().isEmpty()) {
                    throw new TestCase.BadCase("unknown flags " + f.flags() + " in " + line);
                }
            }
        }
        Version v = Version.empty().apply(edit);
        for (int level = 1; level < Version.NUM_LEVELS; level++) {
            List<FileMetaData> files = v.files(level);
            for (int i = 1; i < files.size(); i++) {
                if (InternalKey.compareUserKey(
                                files.get(i - 1).largest(),
                                InternalKey.userKey(files.get(i).smallest()))
                        >= 0) {
                    throw new TestCase.BadCase("L" + level + ": files "
                            + files.get(i - 1).number() + " and " + files.get(i).number() + " overlap");
                }
            }
        }
        return new Levels(v, busy);
    }

    /** Each non-empty level and its files, in the Version's order (level 0 newest first). */
    public static String describe(Version v) {
        StringBuilder sb = new StringBuilder();
        for (int level = 0; level < Version.NUM_LEVELS; level++) {
            if (v.numFiles(level) > 0) {
                sb.append('L').append(level).append(":\n");
                v.files(level).forEach(f -> sb.append("  ").append(file(f)).append('\n'));
            }
        }
        return sb.toString();
    }

    /** File numbers separated by spaces, or {@code none}. */
    public static String numbers(List<FileMetaData> files) {
        return files.isEmpty()
                ? "none"
                : files.stream().map(f -> Long.toString(f.number())).collect(Collectors.joining(" "));
    }
}
