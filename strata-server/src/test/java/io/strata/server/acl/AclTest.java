package io.strata.server.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.server.StandardCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The users of a server: SETUSER all or nothing, handles that follow changes, DELUSER, LOAD, requirepass. */
class AclTest {
    @TempDir
    Path dir;

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Acl acl(String requirePass, Path file) {
        return new Acl(StandardCatalog.get(), requirePass, file, System::currentTimeMillis);
    }

    @Test
    void theDefaultUserFollowsRequirepass() {
        Acl open = acl(null, null);
        assertThat(open.defaultUserOpen()).isTrue();
        assertThat(open.someUserWithoutPassword()).isTrue();
        assertThat(open.authenticate("default", b("anything"))).isSameAs(open.defaultUser());
        Acl closed = acl("pw", null);
        assertThat(closed.defaultUserOpen()).isFalse();
        assertThat(closed.someUserWithoutPassword()).isFalse();
        assertThat(closed.authenticate("default", b("nope"))).isNull();
        assertThat(closed.authenticate("default", b("pw"))).isSameAs(closed.defaultUser());
        closed.requirePass("");
        assertThat(closed.defaultUserOpen()).isTrue();
        open.requirePass("new");
        assertThat(open.authenticate("default", b("new"))).isNotNull();
        assertThat(open.defaultUser().user().passwords()).containsExactly(Passwords.hash("new"));
    }

    @Test
    void setUserIsAllOrNothingAndHandlesFollowIt() throws Exception {
        Acl acl = acl("pw", null);
        acl.setUser("alice", List.of("on", ">a", "+get"));
        UserHandle h = acl.authenticate("alice", b("a"));
        assertThat(h).isNotNull();
        assertThatThrownBy(() -> acl.setUser("alice", List.of("+set", "+nosuch")))
                .isInstanceOf(AclRuleException.class)
                .extracting(e -> ((AclRuleException) e).rule())
                .isEqualTo("+nosuch");
        assertThat(h.user().commandRules()).isEqualTo("-@all +get");
        assertThatThrownBy(() -> acl.setUser("carol", List.of("+nosuch"))).isInstanceOf(AclRuleException.class);
        assertThat(acl.names()).containsExactly("alice", "default");
        acl.setUser("alice", List.of("off"));
        assertThat(h.user().enabled())
                .as("the connection's handle sees the change")
                .isFalse();
        assertThat(acl.authenticate("alice", b("a"))).isNull();
        acl.setUser("bob", List.of("on", "nopass"));
        assertThat(acl.someUserWithoutPassword()).as("bob takes any password").isTrue();
    }

    @Test
    void deletedUsersAllowNothing() throws Exception {
        Acl acl = acl(null, null);
        acl.setUser("alice", List.of("on", "nopass", "+@all", "allkeys"));
        UserHandle h = acl.authenticate("alice", b("x"));
        assertThat(acl.delete(List.of("alice", "nobody"))).containsExactly(h);
        assertThat(h.user().enabled()).isFalse();
        assertThat(h.user().allows(acl.catalog().byName("get"))).isFalse();
        assertThat(acl.names()).containsExactly("default");
        assertThatThrownBy(() -> acl.delete(List.of("default"))).hasMessageContaining("cannot be removed");
    }

    @Test
    void loadReplacesTheUsersKeepingThoseThatStay() throws Exception {
        Path file = dir.resolve("users.acl");
        Files.writeString(file, "user alice on >a +get\nuser bob on >b\n");
        Acl acl = acl("pw", file);
        assertThat(acl.load()).isEmpty();
        assertThat(acl.names()).containsExactly("alice", "bob", "default");
        assertThat(acl.authenticate("default", b("pw")))
                .as("not in the file: requirepass's")
                .isNotNull();
        UserHandle alice = acl.authenticate("alice", b("a"));
        UserHandle bob = acl.authenticate("bob", b("b"));
        Files.writeString(file, "user alice on >a2 +set\nuser default on >d +@all ~*\n");
        assertThat(acl.load()).containsExactly(bob);
        assertThat(alice.user().commandRules()).isEqualTo("-@all +set");
        assertThat(acl.authenticate("alice", b("a"))).isNull();
        assertThat(acl.authenticate("default", b("d"))).isSameAs(acl.defaultUser());
        assertThat(bob.user().enabled()).isFalse();
        Files.writeString(file, "user alice on +nosuch\n");
        assertThatThrownBy(acl::load).hasMessageContaining(file + ":1: ");
        assertThat(acl.names()).as("nothing changed").containsExactly("alice", "default");
        acl.setUser("carol", List.of("on", ">c"));
        acl.save();
        Acl again = acl(null, file);
        again.load();
        assertThat(again.names()).containsExactly("alice", "carol", "default");
        assertThat(again.authenticate("carol", b("c"))).isNotNull();
        assertThat(again.authenticate("default", b("d"))).isNotNull();
    }
}
