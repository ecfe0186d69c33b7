package io.strata.server.acl;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ACL file (Redis's {@code aclfile}): one {@code user NAME rule...} line per user, the rules
 * separated by white space; blank lines and lines starting with {@code #} are skipped. Each
 * user starts as ACL SETUSER creates one (off, nothing allowed). Reading checks the whole file
 * and reports every bad line as {@code file:line: what}; ACL SAVE writes a temporary file beside
 * it, forces it to disk and renames it over the old one, so a crash leaves one or the other.
 */
public final class AclFile {
    private AclFile() {}

    /** The users of a file, by name, in the file's order; {@link IllegalArgumentException} lists every problem. */
    static Map<String, User> read(Path path, AclRules rules) {
        List<String> lines;
        try {
            lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("cannot read ACL file " + path + ": no such file", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read ACL file " + path + ": " + e.getMessage(), e);
        }
        Map<String, User> users = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = path + ":" + (i + 1) + ": ";
            List<String> words = List.of(line.split("\\s+", -1));
            if (!words.get(0).equals("user") || words.size() < 2) {
                errors.add(where + "should start with 'user NAME'");
                continue;
            }
            String name = words.get(1);
            if (!AclRules.validUsername(name)) {
                errors.add(where + "username '" + name + "' contains invalid characters");
                continue;
            }
            if (users.containsKey(name)) {
                errors.add(where + "user '" + name + "' is already defined in this file");
                continue;
            }
            try {
                users.put(name, rules.apply(User.created(name), words.subList(2, words.size())));
            } catch (AclRuleException e) {
                errors.add(where + "error in rule '" + e.shownRule() + "' of user '" + name + "': " + e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", errors));
        }
        return users;
    }

    /**
     * Writes the users, one line each, replacing the file atomically.
     *
     * @throws IllegalArgumentException if a user has a key or channel glob with white space in it
     *     (ACL SETUSER takes one, as Redis does): its line would not read back, and the file would
     *     stop the next start, so nothing is written
     */
    static void write(Path path, List<User> users) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (User u : users) {
            List<String> globs = new ArrayList<>(u.channels());
            u.keys().forEach(k -> globs.add(k.glob()));
            for (String g : globs) {
                if (g.chars().anyMatch(Character::isWhitespace)) {
                    throw new IllegalArgumentException("user '" + u.name() + "' has the pattern '" + g
                            + "', whose white space an ACL file cannot hold");
                }
            }
            sb.append("user ").append(u.name()).append(' ').append(u.rules()).append('\n');
        }
        Path dir = path.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, sb.toString().getBytes(StandardCharsets.UTF_8));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
