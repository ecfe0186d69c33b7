package io.strata.server.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.server.StandardCatalog;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rule parser: what known rules make of a user (as ACL LIST shows it), and Redis's errors. */
class AclRulesTest {
    private final CommandCatalog catalog = StandardCatalog.get();
    private final AclRules rules = new AclRules(catalog);

    private User user(String... r) throws AclRuleException {
        return rules.apply(User.created("u"), List.of(r));
    }

    private String error(String... r) {
        try {
            user(r);
        } catch (AclRuleException e) {
            return e.rule() + ": " + e.getMessage();
        }
        throw new AssertionError("rules accepted: " + List.of(r));
    }

    private boolean allows(User u, String command) {
        return u.allows(catalog.byName(command));
    }

    @Test
    void aNewUserIsOffAndAllowedNothing() throws Exception {
        assertThat(user().rules()).isEqualTo("off resetchannels -@all");
        assertThat(User.defaultUser(catalog, null).rules()).isEqualTo("on nopass ~* &* +@all");
    }

    /** The same rules given to redis-server 7.0 gave the same hash and keys; 7.2 keeps the command rules as given. */
    @Test
    void aUserAsRedisListsIt() throws Exception {
        User u = user("on", ">p1", "~cache:*", "%R~ro:*", "&chan*", "+@read", "-@dangerous", "+set");
        assertThat(u.rules())
                .isEqualTo("on #f64551fcd6f07823cb87971cfb91446425da18286b3ab1ef935e0cbd7a69f68a ~cache:* %R~ro:* "
                        + "resetchannels &chan* -@all +@read -@dangerous +set");
        assertThat(allows(u, "get")).isTrue();
        assertThat(allows(u, "set")).isTrue();
        assertThat(allows(u, "keys")).as("@read but @dangerous").isFalse();
        assertThat(allows(u, "del")).isFalse();
        assertThat(u.accepts("p1".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(u.accepts("p2".getBytes(StandardCharsets.UTF_8))).isFalse();
    }

    @Test
    void keywordsCommandsAndCategoriesIgnoreCaseGlobsAndPasswordsDoNot() throws Exception {
        User u = user("ON", "+GET", "+@Write", "~Key*", ">Secret");
        assertThat(u.rules()).startsWith("on #").endsWith(" ~Key* resetchannels -@all +get +@write");
        assertThat(u.accepts("secret".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(u.accepts("Secret".getBytes(StandardCharsets.UTF_8))).isTrue();
    }

    @Test
    void passwordsNopassAndTheirOrder() throws Exception {
        assertThat(user("nopass", ">abc").flags()).containsExactly("off");
        assertThat(user(">abc", "nopass").passwords()).isEmpty();
        assertThat(user(">abc", ">abc").passwords()).containsExactly(Passwords.hash("abc"));
        assertThat(user(">abc", "<abc").passwords()).isEmpty();
        String hash = Passwords.hash("x");
        assertThat(user("#" + hash, "on").accepts("x".getBytes(StandardCharsets.UTF_8)))
                .isTrue();
        assertThat(user("#" + hash, "!" + hash).passwords()).isEmpty();
        assertThat(user("on", ">").accepts(new byte[0]))
                .as("an empty password is a password")
                .isTrue();
        assertThat(user("on", "nopass").accepts("anything".getBytes(StandardCharsets.UTF_8)))
                .isTrue();
        assertThat(user("nopass").accepts(new byte[0])).as("off").isFalse();
        assertThat(user("on", ">a", "resetpass").accepts("a".getBytes(StandardCharsets.UTF_8)))
                .isFalse();
    }

    @Test
    void keyPatterns() throws Exception {
        assertThat(user("%RW~q", "%W~w*", "%r~r*", "~q").keyRules()).isEqualTo("~q %W~w* %R~r*");
        assertThat(user("~*").keyRules()).isEqualTo("~*");
        assertThat(user("~*").allKeys()).isTrue();
        assertThat(user("%R~*").allKeys()).as("read only").isFalse();
        assertThat(user("allkeys", "resetkeys", "~a").keyRules()).isEqualTo("~a");
        assertThat(user("~").keyRules()).as("an empty glob, as Redis allows").isEqualTo("~");
    }

    @Test
    void channels() throws Exception {
        assertThat(user("&a", "&b*", "&a").channelRules()).isEqualTo("&a &b*");
        assertThat(user("&*").rules()).isEqualTo("off &* -@all");
        assertThat(user("allchannels", "resetchannels").channelRules()).isEmpty();
        assertThat(user("&a\n").rules())
                .as("white space is part of the glob")
                .isEqualTo("off resetchannels &a\n -@all");
    }

    /** Redis 7.2 drops the earlier rules a later one overrides: the same name, or a command's subcommands. */
    @Test
    void commandRulesAreCompactedAsRedisDoes() throws Exception {
        User u = user("+@all", "-config|get", "+config", "-config|set");
        assertThat(u.commandRules()).isEqualTo("+@all +config -config|set");
        assertThat(allows(u, "config|get")).isTrue();
        assertThat(allows(u, "config|set")).isFalse();
        assertThat(allows(u, "config")).isTrue();
        assertThat(user("+@read", "-get", "+@read").commandRules()).isEqualTo("-@all -get +@read");
        assertThat(user("+get", "+@all").commandRules()).isEqualTo("+@all");
        assertThat(user("+@all", "-flushall", "nocommands", "+ping").commandRules())
                .isEqualTo("-@all +ping");
    }

    @Test
    void aContainerRuleCoversItsSubcommands() throws Exception {
        User u = user("+config");
        assertThat(allows(u, "config|get")).isTrue();
        assertThat(allows(u, "config|set")).isTrue();
        User only = user("+config|get");
        assertThat(allows(only, "config|get")).isTrue();
        assertThat(allows(only, "config|set")).isFalse();
        assertThat(allows(only, "config")).isFalse();
        assertThat(allows(user("+@all", "-config"), "config|get")).isFalse();
    }

    @Test
    void resetIsRedisReset() throws Exception {
        assertThat(user("on", ">x", "~*", "&*", "+@all", "reset").rules())
                .isEqualTo("off sanitize-payload resetchannels -@all");
    }

    @Test
    void redisErrors() {
        assertThat(error("+foo")).isEqualTo("+foo: Unknown command or category name in ACL");
        assertThat(error("+@nosuch")).isEqualTo("+@nosuch: Unknown command or category name in ACL");
        assertThat(error("+config|nosuch")).isEqualTo("+config|nosuch: Unknown command or category name in ACL");
        assertThat(error("xyz")).isEqualTo("xyz: Syntax error");
        assertThat(error("")).isEqualTo(": Syntax error");
        assertThat(error("%X~a")).isEqualTo("%X~a: Syntax error");
        assertThat(error("%~a")).isEqualTo("%~a: Syntax error");
        assertThat(error("%R")).isEqualTo("%R: Syntax error");
        assertThat(error("#abc"))
                .isEqualTo("#abc: The password hash must be exactly 64 characters and contain only lowercase "
                        + "hexadecimal characters");
        assertThat(error("!" + Passwords.hash("x").toUpperCase(java.util.Locale.ROOT)))
                .endsWith("contain only lowercase hexadecimal characters");
        assertThat(error("<nope"))
                .isEqualTo("<nope: The password you are trying to remove from the user does not " + "exist");
        assertThat(error("+config|get|x"))
                .isEqualTo("+config|get|x: Allowing first-arg of a subcommand is not " + "supported");
        assertThat(error("allkeys", "~foo"))
                .isEqualTo("~foo: Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does "
                        + "not have any effect. Try 'resetkeys' to start with an empty list of patterns");
        assertThat(error("allchannels", "&foo"))
                .startsWith("&foo: Adding a pattern after the * pattern (or the " + "'allchannels' flag)");
        assertThat(error("+get|x"))
                .isEqualTo("+get|x: Strata does not support first-arg rules (+command|arg): "
                        + "'get' has no subcommands");
        assertThat(error("(~x +get)")).isEqualTo("(~x +get): Selectors are not supported by Strata");
    }

    @Test
    void aFailedRuleLeavesTheUserAsItWas() throws Exception {
        User before = user("on", "+get", "~a");
        assertThatThrownBy(() -> rules.apply(before, List.of("+set", "~b", "+nosuch")))
                .isInstanceOf(AclRuleException.class);
        assertThat(before.rules()).isEqualTo("on ~a resetchannels -@all +get");
    }

    @Test
    void aPasswordInClearIsHiddenFromLogs() {
        try {
            user("<secret");
            throw new AssertionError("accepted");
        } catch (AclRuleException e) {
            assertThat(e.shownRule()).isEqualTo("<(password)");
        }
    }

    @Test
    void usernames() {
        assertThat(AclRules.validUsername("alice")).isTrue();
        assertThat(AclRules.validUsername("a:b")).isTrue();
        assertThat(AclRules.validUsername("bad name")).isFalse();
        assertThat(AclRules.validUsername("nul\0")).isFalse();
    }
}
