package io.strata.server.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.server.StandardCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ACL file: what a good one gives, every error with its file and line, and SAVE's output read back. */
class AclFileTest {
    @TempDir
    Path dir;

    private final AclRules rules = new AclRules(StandardCatalog.get());

    private Path file(String... lines) throws Exception {
        return Files.write(dir.resolve("users.acl"), List.of(lines), StandardCharsets.UTF_8);
    }

    @Test
    void usersCommentsAndBlankLines() throws Exception {
        Path f = file(
                "# users", "", "user alice on >pw ~a:* +get", "  user bob off  ", "user default on nopass +@all ~*");
        Map<String, User> users = AclFile.read(f, rules);
        assertThat(users.keySet()).containsExactly("alice", "bob", "default");
        assertThat(users.get("alice").rules())
                .isEqualTo("on #" + Passwords.hash("pw") + " ~a:* resetchannels -@all +get");
        assertThat(users.get("bob").rules()).isEqualTo("off resetchannels -@all");
    }

    @Test
    void everyErrorNamesTheFileAndLine() throws Exception {
        Path f = file(
                "user alice on +get",
                "usr bob on",
                "user carol on +nosuch",
                "# fine",
                "user alice off",
                "user dave <secret",
                "user");
        assertThatThrownBy(() -> AclFile.read(f, rules))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(String.join(
                        "\n",
                        f + ":2: should start with 'user NAME'",
                        f + ":3: error in rule '+nosuch' of user 'carol': Unknown command or category name in ACL",
                        f + ":5: user 'alice' is already defined in this file",
                        f + ":6: error in rule '<(password)' of user 'dave': The password you are trying to remove "
                                + "from the user does not exist",
                        f + ":7: should start with 'user NAME'"))
                .hasMessageNotContaining("secret");
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nope.acl");
        assertThatThrownBy(() -> AclFile.read(missing, rules))
                .hasMessage("cannot read ACL file " + missing + ": no such " + "file");
    }

    @Test
    void whatIsWrittenReadsBackTheSame() throws Exception {
        List<User> users = List.of(
                User.defaultUser(StandardCatalog.get(), "pw"),
                rules.apply(
                        User.created("alice"),
                        List.of(
                                "on",
                                ">a",
                                ">b",
                                "%R~r:*",
                                "~w:*",
                                "&news*",
                                "+@read",
                                "-@dangerous",
                                "+config|get",
                                "skip-sanitize-payload")),
                User.created("bob"));
        Path f = dir.resolve("users.acl");
        AclFile.write(f, users);
        Map<String, User> back = AclFile.read(f, rules);
        assertThat(back.keySet()).containsExactly("default", "alice", "bob");
        for (User u : users) {
            assertThat(back.get(u.name()).rules()).isEqualTo(u.rules());
        }
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).as("no temporary file left").containsExactly(f);
        }
    }

    @Test
    void aPatternWithWhiteSpaceIsNotWritten() throws Exception {
        Path f = Files.writeString(dir.resolve("users.acl"), "user default on nopass\n");
        List<User> users = List.of(rules.apply(User.created("alice"), List.of("~a b")));
        assertThatThrownBy(() -> AclFile.write(f, users))
                .hasMessage("user 'alice' has the pattern 'a b', whose white space an ACL file cannot hold");
        List<User> channel = List.of(rules.apply(User.created("bob"), List.of("&news\n")));
        assertThatThrownBy(() -> AclFile.write(f, channel)).hasMessageContaining("user 'bob'");
        assertThat(Files.readString(f)).isEqualTo("user default on nopass\n");
    }
}
