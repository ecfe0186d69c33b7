package io.strata.server;

import static io.strata.server.CommandHarness.NIL;
import static io.strata.server.CommandHarness.OK;
import static io.strata.server.CommandHarness.bulk;
import static io.strata.server.CommandHarness.error;
import static io.strata.server.CommandHarness.integer;
import static org.assertj.core.api.Assertions.assertThat;

import io.strata.server.acl.AclCategory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The ACL command and the checks it sets up, through the dispatcher without a socket: replies as
 * Redis 7.2 gives them, and refused commands that change nothing.
 */
class AclCommandsTest extends WithCommandHarness {
    private static final String ALICE_HASH = "f64551fcd6f07823cb87971cfb91446425da18286b3ab1ef935e0cbd7a69f68a";

    /** alice: password p1, reads everything, SET, keys cache:*. */
    private void alice() {
        assertThat(h.run("ACL", "SETUSER", "alice", "on", ">p1", "~cache:*", "+@read", "-@dangerous", "+set"))
                .isEqualTo(OK);
    }

    @Test
    void setuserListGetuserUsersWhoami() {
        assertThat(h.run("ACL", "WHOAMI")).isEqualTo(bulk("default"));
        alice();
        String aliceLine = "user alice on #" + ALICE_HASH + " ~cache:* resetchannels -@all +@read -@dangerous +set";
        assertThat(h.run("ACL", "LIST"))
                .isEqualTo("*2\r\n" + bulk(aliceLine) + bulk("user default on nopass ~* &* +@all"));
        assertThat(h.run("ACL", "USERS")).isEqualTo("*2\r\n" + bulk("alice") + bulk("default"));
        assertThat(h.run("ACL", "GETUSER", "alice"))
                .isEqualTo("*12\r\n" + bulk("flags") + "*1\r\n" + bulk("on") + bulk("passwords") + "*1\r\n"
                        + bulk(ALICE_HASH) + bulk("commands") + bulk("-@all +@read -@dangerous +set") + bulk("keys")
                        + bulk("~cache:*") + bulk("channels") + bulk("") + bulk("selectors") + "*0\r\n");
        assertThat(h.run("ACL", "GETUSER", "nobody")).isEqualTo(NIL);
        assertThat(h.run("ACL", "SETUSER", "alice", "+nosuch"))
                .isEqualTo(error(
                        "ERR Error in ACL SETUSER modifier '+nosuch': Unknown command or category name in " + "ACL"));
        assertThat(h.run("ACL", "SETUSER", "bad name"))
                .isEqualTo(error("ERR Usernames can't contain spaces or null " + "characters"));
        assertThat(h.run("ACL", "SETUSER"))
                .isEqualTo(error("ERR wrong number of arguments for 'acl|setuser' " + "command"));
        assertThat(h.run("ACL", "NOSUCH")).isEqualTo(error("ERR unknown subcommand 'NOSUCH'. Try ACL HELP."));
        assertThat(h.run("AUTH", "alice", "p1")).isEqualTo(OK);
        assertThat(h.run("ACL", "WHOAMI"))
                .as("@slow: not among alice's")
                .isEqualTo(error("NOPERM User alice has no permissions to run the 'acl|whoami' command"));
        h.run("AUTH", "default", "");
        h.run("ACL", "SETUSER", "alice", "+acl|whoami", "+client|info");
        h.run("AUTH", "alice", "p1");
        assertThat(h.run("ACL", "WHOAMI")).isEqualTo(bulk("alice"));
        assertThat(h.run("CLIENT", "INFO")).contains(" user=alice ");
    }

    @Test
    void refusedCommandsAndKeysChangeNothing() {
        h.run("SET", "cache:1", "v");
        h.run("SET", "x", "old");
        alice();
        assertThat(h.run("AUTH", "alice", "p1")).isEqualTo(OK);
        assertThat(h.run("SET", "x", "new")).isEqualTo(error("NOPERM No permissions to access a key"));
        assertThat(h.run("GET", "x")).isEqualTo(error("NOPERM No permissions to access a key"));
        assertThat(h.run("DEL", "cache:1"))
                .isEqualTo(error("NOPERM User alice has no permissions to run the 'del' command"));
        assertThat(h.run("FLUSHALL"))
                .isEqualTo(error("NOPERM User alice has no permissions to run the 'flushall' command"));
        assertThat(h.run("CONFIG", "SET", "maxclients", "1"))
                .isEqualTo(error("NOPERM User alice has no permissions to run the 'config|set' command"));
        assertThat(h.run("ACL", "SETUSER", "alice", "+@all"))
                .isEqualTo(error("NOPERM User alice has no permissions to run the 'acl|setuser' command"));
        assertThat(h.run("GET", "cache:1")).isEqualTo(bulk("v"));
        assertThat(h.run("SET", "cache:2", "w")).isEqualTo(OK);
        assertThat(h.run("INFO", "stats")).as("@dangerous").startsWith("-NOPERM");
        assertThat(h.run("AUTH", "default", "")).isEqualTo(OK);
        assertThat(h.run("GET", "x")).isEqualTo(bulk("old"));
        assertThat(h.run("GET", "cache:1")).isEqualTo(bulk("v"));
        assertThat(h.server.config().maxClients()).isEqualTo(10_000);
        assertThat(h.run("ACL", "GETUSER", "alice")).contains("-@all +@read -@dangerous +set");
        assertThat(h.run("INFO", "stats"))
                .contains("acl_access_denied_cmd:5\r\n")
                .contains("acl_access_denied_key:2\r\n");
    }

    @Test
    void aclLogRecordsRefusalsAndFailedLoginsWithoutPasswords() {
        alice();
        assertThat(h.run("AUTH", "alice", "wrong-secret"))
                .isEqualTo(error("WRONGPASS invalid username-password pair or user is disabled."));
        h.run("AUTH", "alice", "p1");
        h.run("GET", "x");
        h.run("GET", "x");
        h.run("DEL", "cache:1");
        h.run("AUTH", "default", "");
        String log = h.run("ACL", "LOG");
        assertThat(log).doesNotContain("wrong-secret").startsWith("*3\r\n*20\r\n");
        String[] entries = log.split("\\*20\r\n", -1);
        assertThat(entries[1])
                .startsWith(bulk("count")
                        + integer(1)
                        + bulk("reason")
                        + bulk("command")
                        + bulk("context")
                        + bulk("toplevel")
                        + bulk("object")
                        + bulk("del")
                        + bulk("username")
                        + bulk("alice")
                        + bulk("age-seconds"))
                .contains(bulk("client-info"))
                .contains(" cmd=del user=alice ")
                .contains(bulk("entry-id") + integer(2) + bulk("timestamp-created") + ":")
                .contains(bulk("timestamp-last-updated"));
        assertThat(entries[2])
                .startsWith(bulk("count")
                        + integer(2)
                        + bulk("reason")
                        + bulk("key")
                        + bulk("context")
                        + bulk("toplevel")
                        + bulk("object")
                        + bulk("x")
                        + bulk("username")
                        + bulk("alice"));
        assertThat(entries[3])
                .startsWith(bulk("count")
                        + integer(1)
                        + bulk("reason")
                        + bulk("auth")
                        + bulk("context")
                        + bulk("toplevel")
                        + bulk("object")
                        + bulk("auth")
                        + bulk("username")
                        + bulk("alice"));
        assertThat(h.run("ACL", "LOG", "1")).startsWith("*1\r\n");
        assertThat(h.run("ACL", "LOG", "-1")).isEqualTo(error("ERR value is not an integer or out of range"));
        assertThat(h.run("ACL", "LOG", "RESET")).isEqualTo(OK);
        assertThat(h.run("ACL", "LOG")).isEqualTo("*0\r\n");
        assertThat(h.run("INFO", "stats")).contains("acl_access_denied_auth:1\r\n");
    }

    @Test
    void deluserLogsTheUserOutAndDefaultStays() {
        alice();
        h.run("AUTH", "alice", "p1");
        assertThat(h.run("GET", "cache:1")).isEqualTo(NIL);
        assertThat(h.run("ACL", "DELUSER", "alice", "nobody"))
                .as("alice may not")
                .startsWith("-NOPERM");
        h.run("AUTH", "default", "");
        assertThat(h.run("ACL", "DELUSER", "default")).isEqualTo(error("ERR The 'default' user cannot be removed"));
        h.run("AUTH", "alice", "p1");
        h.run("AUTH", "default", "");
        assertThat(h.run("ACL", "DELUSER", "alice", "nobody")).isEqualTo(integer(1));
        assertThat(h.run("AUTH", "alice", "p1")).startsWith("-WRONGPASS");
        assertThat(h.run("ACL", "USERS")).isEqualTo("*1\r\n" + bulk("default"));
    }

    @Test
    void aConnectionRunsUnderItsUsersCurrentRules() {
        alice();
        h.run("AUTH", "alice", "p1");
        assertThat(h.run("SET", "cache:1", "v")).isEqualTo(OK);
        h.server.acl().delete(java.util.List.of("alice"));
        assertThat(h.run("GET", "cache:1"))
                .as("deleted while logged in: nothing more")
                .isEqualTo(error("NOPERM User alice has no permissions to run the 'get' command"));
    }

    @Test
    void catDryrunGenpass() {
        assertThat(h.run("ACL", "CAT")).startsWith("*21\r\n" + bulk("keyspace") + bulk("read") + bulk("write"));
        String dangerous = h.run("ACL", "CAT", "dangerous");
        for (String c : new String[] {
            "flushall",
            "flushdb",
            "shutdown",
            "config|set",
            "keys",
            "info",
            "restore",
            "strata.compact",
            "strata.checkpoint",
            "acl|setuser",
            "client|kill"
        }) {
            assertThat(dangerous).contains(bulk(c));
        }
        assertThat(dangerous).doesNotContain(bulk("get")).doesNotContain(bulk("config|help"));
        assertThat(h.run("ACL", "CAT", "nosuch")).isEqualTo(error("ERR Unknown category 'nosuch'"));
        alice();
        assertThat(h.run("ACL", "DRYRUN", "alice", "get", "cache:1")).isEqualTo(OK);
        assertThat(h.run("ACL", "DRYRUN", "alice", "get", "x")).isEqualTo(bulk("No permissions to access the 'x' key"));
        assertThat(h.run("ACL", "DRYRUN", "alice", "config", "set", "a", "b"))
                .isEqualTo(bulk("User alice has no permissions to run the 'config|set' command"));
        assertThat(h.run("ACL", "DRYRUN", "nobody", "get", "x")).isEqualTo(error("ERR User 'nobody' not found"));
        assertThat(h.run("ACL", "DRYRUN", "alice", "nosuch", "x")).isEqualTo(error("ERR Command 'nosuch' not found"));
        String pass = CommandHarness.bulkBytes(h.run("ACL", "GENPASS")).length + "";
        assertThat(pass).isEqualTo("64");
        byte[] five = CommandHarness.bulkBytes(h.run("ACL", "GENPASS", "5"));
        assertThat(five).hasSize(2);
        HexFormat.of().parseHex(new String(five, java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(h.run("ACL", "GENPASS", "0")).startsWith("-ERR ACL GENPASS argument must be");
    }

    @Test
    void saveAndLoadNeedAFile() {
        String noFile = "ERR This Redis instance is not configured to use an ACL file. You may want to specify users "
                + "via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis "
                + "configuration file set) in order to store users in the Redis configuration.";
        assertThat(h.run("ACL", "SAVE")).isEqualTo(error(noFile));
        assertThat(h.run("ACL", "LOAD")).isEqualTo(error(noFile));
    }

    @Test
    void saveAndLoadRoundTrip() throws Exception {
        Path file = dir.resolve("users.acl");
        Files.writeString(file, "user bob on >b +get ~b*\n");
        try (CommandHarness f = CommandHarness.open(
                dir.resolve("with-file"), CommandHarness.Setup.defaults().with(c -> c.aclFile(file)))) {
            assertThat(f.run("ACL", "LOAD")).isEqualTo(OK);
            assertThat(f.run("ACL", "USERS")).isEqualTo("*2\r\n" + bulk("bob") + bulk("default"));
            assertThat(f.run("ACL", "SETUSER", "alice", "on", ">p1", "%R~r:*")).isEqualTo(OK);
            assertThat(f.run("ACL", "DELUSER", "bob")).isEqualTo(integer(1));
            String list = f.run("ACL", "LIST");
            assertThat(f.run("ACL", "SAVE")).isEqualTo(OK);
            assertThat(Files.readString(file))
                    .isEqualTo("user alice on #" + ALICE_HASH + " %R~r:* resetchannels -@all\n"
                            + "user default on nopass ~* &* +@all\n");
            assertThat(f.run("ACL", "SETUSER", "carol", "on")).isEqualTo(OK);
            assertThat(f.run("ACL", "LOAD")).isEqualTo(OK);
            assertThat(f.run("ACL", "LIST")).isEqualTo(list);
            Files.writeString(file, "user alice on\nuser eve +nosuch\n");
            assertThat(f.run("ACL", "LOAD"))
                    .isEqualTo(error("ERR " + file + ":2: error in rule '+nosuch' of user 'eve': Unknown command or "
                            + "category name in ACL"));
            assertThat(f.run("ACL", "LIST")).as("nothing changed").isEqualTo(list);
            assertThat(f.run("CONFIG", "GET", "aclfile")).isEqualTo("*2\r\n" + bulk("aclfile") + bulk(file.toString()));
        }
    }

    @Test
    void requirepassIsTheDefaultUsersPassword() {
        assertThat(h.run("AUTH", "x")).startsWith("-ERR AUTH <password> called without any password configured");
        assertThat(h.run("CONFIG", "SET", "requirepass", "pw")).isEqualTo(OK);
        assertThat(h.run("GET", "k")).as("this connection logged in before").isEqualTo(NIL);
        assertThat(h.run("RESET")).isEqualTo("+RESET\r\n");
        assertThat(h.run("GET", "k")).isEqualTo(error("NOAUTH Authentication required."));
        assertThat(h.run("HELLO", "3")).startsWith("-NOAUTH HELLO must be called with the client already");
        assertThat(h.run("AUTH", "nope")).startsWith("-WRONGPASS");
        assertThat(h.run("AUTH", "pw")).isEqualTo(OK);
        assertThat(h.run("ACL", "GETUSER", "default")).contains(bulk("flags") + "*1\r\n" + bulk("on"));
        assertThat(h.run("CONFIG", "SET", "requirepass", "")).isEqualTo(OK);
        assertThat(h.run("RESET")).isEqualTo("+RESET\r\n");
        assertThat(h.run("GET", "k")).isEqualTo(NIL);
    }

    @Test
    void helloAuthLogsInAsAUser() {
        alice();
        h.run("ACL", "SETUSER", "alice", "+acl|whoami");
        h.run("ACL", "SETUSER", "default", "resetpass", ">d");
        h.run("RESET");
        assertThat(h.run("HELLO", "3", "AUTH", "alice", "bad")).startsWith("-WRONGPASS");
        assertThat(h.run("GET", "cache:1")).isEqualTo(error("NOAUTH Authentication required."));
        assertThat(h.run("HELLO", "3", "AUTH", "alice", "p1")).startsWith("%7\r\n");
        assertThat(h.run("ACL", "WHOAMI")).isEqualTo(bulk("alice"));
        assertThat(h.run("ACL", "LOG")).as("alice may not read the log").startsWith("-NOPERM");
        assertThat(h.run("AUTH", "d")).isEqualTo(OK);
        assertThat(h.run("ACL", "LOG")).contains(bulk("object") + bulk("hello"));
    }

    @Test
    void aDisabledUserCannotLogIn() {
        h.run("ACL", "SETUSER", "bob", "off", ">b", "+@all");
        assertThat(h.run("AUTH", "bob", "b")).startsWith("-WRONGPASS");
        h.run("ACL", "SETUSER", "bob", "on");
        assertThat(h.run("AUTH", "bob", "b")).isEqualTo(OK);
    }

    @Test
    void renamedAndRemovedCommands() {
        try (CommandHarness r = CommandHarness.open(
                dir.resolve("renamed"),
                CommandHarness.Setup.defaults()
                        .with(c -> c.renameCommand("FLUSHALL", "").renameCommand("config", "cfg")))) {
            r.run("SET", "k", "v");
            assertThat(r.run("FLUSHALL")).startsWith("-ERR unknown command 'FLUSHALL'");
            assertThat(r.run("CONFIG", "GET", "port")).startsWith("-ERR unknown command 'CONFIG'");
            assertThat(r.run("CFG", "GET", "maxclients")).isEqualTo("*2\r\n" + bulk("maxclients") + bulk("10000"));
            assertThat(r.run("GET", "k")).isEqualTo(bulk("v"));
            assertThat(r.run("ACL", "SETUSER", "u", "on", "nopass", "+config|get", "+flushall"))
                    .as("first names")
                    .isEqualTo(OK);
            r.run("AUTH", "u", "x");
            assertThat(r.run("CFG", "SET", "maxclients", "1"))
                    .isEqualTo(error("NOPERM User u has no permissions to run the 'config|set' command"));
        }
    }

    @Test
    void unauthenticatedCommandsAreRefusedBeforeAcl() {
        h.run("ACL", "SETUSER", "default", "resetpass", ">d");
        h.run("RESET");
        assertThat(h.run("ACL", "WHOAMI")).isEqualTo(error("NOAUTH Authentication required."));
        assertThat(h.run("ACL", "LOG")).isEqualTo(error("NOAUTH Authentication required."));
        assertThat(h.run("AUTH", "d")).isEqualTo(OK);
        assertThat(h.run("ACL", "LOG")).isEqualTo("*0\r\n");
    }

    @Test
    void categoriesListedInRedisOrder() {
        assertThat(AclCategory.values())
                .extracting(AclCategory::ruleName)
                .containsExactly(
                        "keyspace",
                        "read",
                        "write",
                        "set",
                        "sortedset",
                        "list",
                        "hash",
                        "string",
                        "bitmap",
                        "hyperloglog",
                        "geo",
                        "stream",
                        "pubsub",
                        "admin",
                        "fast",
                        "slow",
                        "blocking",
                        "dangerous",
                        "connection",
                        "transaction",
                        "scripting");
    }
}
