package io.strata.server.acl;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.server.StandardCatalog;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The permission check: known users and requests, allowed or refused, and what a refusal names. */
class AclCheckTest {
    private final CommandCatalog catalog = StandardCatalog.get();
    private final AclRules rules = new AclRules(catalog);

    private User user(String... r) throws AclRuleException {
        return rules.apply(User.created("alice"), List.of(r));
    }

    /** Null if allowed, else "reason object". */
    private String check(User u, String... request) {
        byte[][] argv = new byte[request.length][];
        for (int i = 0; i < request.length; i++) {
            argv[i] = request[i].getBytes(StandardCharsets.UTF_8);
        }
        String name = request[0].toLowerCase(java.util.Locale.ROOT);
        CommandAcl c = catalog.byName(
                request.length > 1 && catalog.byName(name + "|" + request[1]) != null ? name + "|" + request[1] : name);
        Denial d = AclCheck.check(u, c, argv);
        return d == null ? null : d.reason() + " " + d.object();
    }

    @Test
    void commandsByCategoryAndName() throws Exception {
        User u = user("on", "allkeys", "+@read", "-@dangerous", "+set");
        assertThat(check(u, "GET", "k")).isNull();
        assertThat(check(u, "SET", "k", "v")).isNull();
        assertThat(check(u, "DEL", "k")).isEqualTo("command del");
        assertThat(check(u, "KEYS", "*")).isEqualTo("command keys");
        assertThat(check(u, "FLUSHALL")).isEqualTo("command flushall");
        assertThat(check(u, "AUTH", "x"))
                .as("runs before authentication: always allowed")
                .isNull();
        assertThat(check(user("on"), "HELLO", "3")).isNull();
    }

    @Test
    void dangerousAndAdminCoverTheServersControls() throws Exception {
        User u = user("on", "allkeys", "+@all", "-@dangerous");
        for (String[] request : new String[][] {
            {"FLUSHALL"},
            {"FLUSHDB"},
            {"SHUTDOWN"},
            {"CONFIG", "SET", "maxclients", "1"},
            {"STRATA.COMPACT"},
            {"STRATA.CHECKPOINT", "x"},
            {"STRATA.STATS"},
            {"ACL", "SETUSER", "x"},
            {"CLIENT", "KILL", "1.2.3.4:5"},
            {"DEBUG"}
        }) {
            if (catalog.byName(request[0]) != null) {
                assertThat(check(u, request)).as(String.join(" ", request)).startsWith("command ");
            }
        }
        assertThat(check(u, "CONFIG", "HELP")).isNull();
        assertThat(check(u, "ACL", "WHOAMI")).isNull();
        User admin = user("on", "+@admin");
        assertThat(check(admin, "CONFIG", "SET", "maxclients", "1")).isNull();
        assertThat(check(admin, "FLUSHALL"))
                .as("@dangerous, not @admin, as in Redis")
                .isEqualTo("command flushall");
    }

    @Test
    void subcommands() throws Exception {
        User u = user("on", "+config|get");
        assertThat(check(u, "CONFIG", "GET", "port")).isNull();
        assertThat(check(u, "CONFIG", "SET", "port", "1")).isEqualTo("command config|set");
        assertThat(check(u, "CONFIG", "NOSUCH"))
                .as("an unknown subcommand: the container's rule")
                .isEqualTo("command config");
    }

    @Test
    void keyPatternsAndWhatTheCommandDoes() throws Exception {
        User u = user("on", "+@all", "~cache:*", "%R~ro:*", "%W~w:*");
        assertThat(check(u, "GET", "cache:1")).isNull();
        assertThat(check(u, "GET", "x")).isEqualTo("key x");
        assertThat(check(u, "GET", "ro:1")).isNull();
        assertThat(check(u, "SET", "ro:1", "v")).isEqualTo("key ro:1");
        assertThat(check(u, "SET", "w:1", "v")).isNull();
        assertThat(check(u, "SET", "w:1", "v", "GET")).as("GET reads it too").isEqualTo("key w:1");
        assertThat(check(u, "SET", "w:1", "v", "EX", "10")).isNull();
        assertThat(check(u, "GET", "w:1")).isEqualTo("key w:1");
        assertThat(check(u, "EXISTS", "w:1", "ro:2"))
                .as("names only: any pattern")
                .isNull();
        assertThat(check(u, "EXISTS", "other")).isEqualTo("key other");
        assertThat(check(u, "INCR", "w:1")).as("reads and writes").isEqualTo("key w:1");
        assertThat(check(u, "DEL", "w:1", "cache:2")).isNull();
        assertThat(check(u, "DEL", "w:1", "ro:1")).isEqualTo("key ro:1");
        assertThat(check(u, "BITFIELD", "w:1", "GET", "u8", "0")).isEqualTo("key w:1");
        assertThat(check(u, "BITFIELD", "ro:1", "GET", "u8", "0")).isNull();
        assertThat(check(u, "BITFIELD", "ro:1", "SET", "u8", "0", "1")).isEqualTo("key ro:1");
        assertThat(check(u, "OBJECT", "ENCODING", "ro:1")).isNull();
        assertThat(check(u, "OBJECT", "ENCODING", "x")).isEqualTo("key x");
    }

    @Test
    void multiKeyCommandsCheckEveryKeyAndOnlyKeys() throws Exception {
        User u = user("on", "+@all", "~k*", "%R~src*");
        assertThat(check(u, "MSET", "k1", "anything", "k2", "x"))
                .as("values are not keys")
                .isNull();
        assertThat(check(u, "MSET", "k1", "v", "other", "v")).isEqualTo("key other");
        assertThat(check(u, "MGET", "k1", "src1", "nope")).isEqualTo("key nope");
        assertThat(check(u, "BITOP", "AND", "k1", "src1", "src2"))
                .as("dest written, sources read")
                .isNull();
        assertThat(check(u, "BITOP", "AND", "src1", "k1")).isEqualTo("key src1");
        assertThat(check(u, "BITOP", "AND", "k1", "src1", "x")).isEqualTo("key x");
        assertThat(check(u, "RENAME", "k1", "k2")).isNull();
        assertThat(check(u, "RENAME", "src1", "k2")).as("the source is deleted").isEqualTo("key src1");
        assertThat(check(u, "COPY", "src1", "k2")).isNull();
        assertThat(check(u, "COPY", "k1", "src2")).isEqualTo("key src2");
        assertThat(check(u, "LCS", "src1", "k1")).isNull();
        assertThat(check(u, "LCS", "src1", "z")).isEqualTo("key z");
    }

    @Test
    void aRangeReadNeedsEveryKey() throws Exception {
        assertThat(check(user("on", "+@all", "~a*"), "STRATA.RANGE", "a", "b")).isEqualTo("key *");
        assertThat(check(user("on", "+@all", "%R~*"), "STRATA.RANGE", "a", "b")).isNull();
        assertThat(check(user("on", "+@all", "allkeys"), "STRATA.RANGE", "a", "b"))
                .isNull();
        assertThat(check(user("on", "+@all", "~a*"), "SCAN", "0"))
                .as("names only, as in Redis")
                .isNull();
    }

    @Test
    void repliesAreRedis72s() {
        assertThat(Denial.command(catalog.byName("set")).reply("alice"))
                .isEqualTo("NOPERM User alice has no permissions to run the 'set' command");
        assertThat(Denial.key("k".getBytes(StandardCharsets.UTF_8)).reply("alice"))
                .isEqualTo("NOPERM No permissions to access a key");
        assertThat(new Denial("channel", "c").reply("alice")).isEqualTo("NOPERM No permissions to access a channel");
        assertThat(Denial.key("k".getBytes(StandardCharsets.UTF_8)).verboseText("alice"))
                .isEqualTo("No permissions to access the 'k' key");
    }

    @Test
    void channelRulesAreKeptForPubSub() throws Exception {
        byte[] news = "news.1".getBytes(StandardCharsets.UTF_8);
        assertThat(AclCheck.channelAllowed(user("&news.*"), news)).isTrue();
        assertThat(AclCheck.channelAllowed(user("&other"), news)).isFalse();
        assertThat(AclCheck.channelAllowed(user(), news))
                .as("resetchannels is the default")
                .isFalse();
        assertThat(AclCheck.channelAllowed(User.defaultUser(catalog, null), news))
                .isTrue();
    }
}
