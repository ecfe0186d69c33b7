package io.strata.server.acl;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.strata.server.StandardCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fuzz target: ACL SETUSER's rule parser over arbitrary rules (the input's bytes as UTF-8, one
 * rule per NUL-separated piece). The only allowed failure is {@link AclRuleException}, and a
 * failed rule list leaves the user as it was. A user the rules made must describe itself as
 * rules that make the same user again: ACL LIST's line re-applied to a new user gives the same
 * line, allows exactly the same commands, and has the same key patterns (with their read and
 * write permissions), channels, flags and passwords (Redis checks the same fixpoint, and aborts if it
 * does not hold, because ACL SAVE and LOAD depend on it).
 *
 * <p>Seeds: {@code AclRulesFuzzTestInputs/rules/}, written by {@link #main}.
 */
class AclRulesFuzzTest {
    private static final CommandCatalog CATALOG = StandardCatalog.get();
    private static final AclRules RULES = new AclRules(CATALOG);
    /** A user as ACL SETUSER creates it (the default user's allkeys would refuse every key pattern after it). */
    private static final User BASE = User.created("fuzz");

    @FuzzTest
    void rules(FuzzedDataProvider data) {
        String text = new String(data.consumeRemainingAsBytes(), StandardCharsets.UTF_8);
        List<String> rules = List.of(text.split("\0", -1));
        String before = BASE.rules();
        User u;
        try {
            u = RULES.apply(BASE, rules);
        } catch (AclRuleException e) {
            if (e.rule() == null || !rules.contains(e.rule()) || e.getMessage().isEmpty()) {
                throw new AssertionError("a failure without its rule or reason: " + e, e);
            }
            if (!BASE.rules().equals(before)) {
                throw new AssertionError("a failed SETUSER changed the user: " + BASE.rules(), e);
            }
            return;
        }
        String line = u.rules();
        if (hasSpaceInPattern(u)) {
            return; // a glob with a space in it cannot be written as one rule of a line (nor in Redis)
        }
        User again;
        try {
            again = RULES.apply(User.created(u.name()), List.of(line.split(" ", -1)));
        } catch (AclRuleException e) {
            throw new AssertionError("the description '" + line + "' does not parse: " + e.getMessage(), e);
        }
        if (!again.rules().equals(line)) {
            throw new AssertionError("described as '" + line + "', which gives '" + again.rules() + "'");
        }
        if (!sameKeysChannelsAndLogin(u, again)) {
            throw new AssertionError("'" + line + "' changes the key or channel permissions, flags or passwords");
        }
        for (CommandAcl c : CATALOG.all()) {
            if (u.allows(c) != again.allows(c)) {
                throw new AssertionError("'" + line + "' changes whether " + c.name() + " is allowed");
            }
        }
    }

    /** The same key patterns with the same permissions, channels, flags and passwords. */
    private static boolean sameKeysChannelsAndLogin(User a, User b) {
        return a.keys().equals(b.keys())
                && a.allKeys() == b.allKeys()
                && a.channels().equals(b.channels())
                && a.allChannels() == b.allChannels()
                && a.flags().equals(b.flags())
                && a.passwords().equals(b.passwords());
    }

    private static boolean hasSpaceInPattern(User u) {
        return u.keys().stream().anyMatch(k -> k.glob().indexOf(' ') >= 0)
                || u.channels().stream().anyMatch(c -> c.indexOf(' ') >= 0);
    }

    /** Writes the seed corpus: {@code main <test resources dir>}. */
    public static void main(String[] args) throws IOException {
        Path dir = Files.createDirectories(Path.of(args[0], "io/strata/server/acl/AclRulesFuzzTestInputs/rules"));
        seed(dir, "redis-example", "on", ">p1", "~cache:*", "%R~ro:*", "&chan*", "+@read", "-@dangerous", "+set");
        seed(dir, "subcommands", "+@all", "-config|get", "+config", "-config|set", "+acl|whoami");
        seed(dir, "reset", "on", ">x", "allkeys", "allchannels", "+@all", "reset");
        seed(dir, "key-permissions", "%RW~q", "%W~w*", "%r~r*", "~", "resetkeys", "~a", "%R~*");
        seed(dir, "passwords", "#" + Passwords.hash("x"), ">y", "<y", "!" + Passwords.hash("x"), "nopass", ">");
        seed(dir, "errors", "allkeys", "~foo", "#abc", "+config|get|x", "<nope", "(~x +get)", "+@nosuch");
        seed(
                dir,
                "categories",
                "nocommands",
                "+@string",
                "-@write",
                "+@fast",
                "-get",
                "+@read",
                "skip-sanitize-payload");
    }

    private static void seed(Path dir, String name, String... rules) throws IOException {
        Files.writeString(dir.resolve(name), String.join("\0", rules), StandardCharsets.UTF_8);
    }
}
