package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.resps.AccessControlLogEntry;
import redis.clients.jedis.resps.AccessControlUser;

/**
 * ACL through unmodified clients over the socket: Jedis and redis-cli refused by category and by
 * key pattern with the data unchanged, ACL LOG and GETUSER as Jedis parses them, the ACL file
 * at the start (errors with file and line) and across a restart, and rename-command from the
 * config file.
 */
class AclClientsTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void requireRedisCli() {
        RedisCliTest.requireTool("redis-cli", "redis-tools");
    }

    private static Jedis as(TestServer s, String user, String password) {
        Jedis j = new Jedis("127.0.0.1", s.port());
        j.auth(user, password);
        return j;
    }

    private static String cli(TestServer s, String user, String password, String... command) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of(
                "redis-cli",
                "-p",
                Integer.toString(s.port()),
                "--user",
                user,
                "--pass",
                password,
                "--no-auth-warning"));
        args.addAll(List.of(command));
        return RedisCliTest.run(null, args.toArray(new String[0])).trim();
    }

    @Test
    void refusedByCategoryThroughJedisAndRedisCliWithTheDataUnchanged() throws Exception {
        try (TestServer s = TestServer.start(dir);
                Jedis admin = new Jedis("127.0.0.1", s.port())) {
            admin.set("a", "1");
            admin.set("b", "2");
            admin.aclSetUser("reader", "on", ">r", "~*", "+@read");
            admin.aclSetUser("writer", "on", ">w", "~*", "+@write", "-@dangerous");
            try (Jedis reader = as(s, "reader", "r");
                    Jedis writer = as(s, "writer", "w")) {
                assertThat(reader.get("a")).isEqualTo("1");
                assertThatThrownBy(() -> reader.set("a", "x"))
                        .isInstanceOf(JedisDataException.class)
                        .hasMessage("NOPERM User reader has no permissions to run the 'set' command");
                assertThatThrownBy(() -> reader.del("b")).hasMessageContaining("'del' command");
                assertThat(writer.set("c", "3")).isEqualTo("OK");
                assertThatThrownBy(writer::flushAll).hasMessageContaining("'flushall' command");
                assertThatThrownBy(writer::flushDB).hasMessageContaining("'flushdb' command");
                assertThatThrownBy(() -> writer.configSet("maxclients", "1"))
                        .hasMessageContaining("'config|set' command");
                assertThatThrownBy(() -> writer.get("a")).hasMessageContaining("'get' command");
            }
            assertThat(cli(s, "reader", "r", "set", "a", "x"))
                    .isEqualTo("NOPERM User reader has no permissions to run the 'set' command");
            assertThat(cli(s, "writer", "w", "flushall"))
                    .isEqualTo("NOPERM User writer has no permissions to run the 'flushall' command");
            assertThat(cli(s, "writer", "w", "shutdown")).contains("'shutdown' command");
            assertThat(cli(s, "reader", "r", "get", "a")).isEqualTo("1");
            assertThat(admin.mget("a", "b", "c")).containsExactly("1", "2", "3");
            assertThat(admin.dbSize()).isEqualTo(3);
            assertThat(admin.configGet("maxclients")).containsEntry("maxclients", "10000");
            assertThat(admin.ping())
                    .as("still serving after the refused SHUTDOWN")
                    .isEqualTo("PONG");
        }
    }

    @Test
    void refusedByKeyPatternThroughJedisAndRedisCliWithTheDataUnchanged() throws Exception {
        try (TestServer s = TestServer.start(dir);
                Jedis admin = new Jedis("127.0.0.1", s.port())) {
            admin.set("shared:1", "s");
            admin.set("other", "o");
            admin.aclSetUser("app", "on", ">a", "~app:*", "%R~shared:*", "+@all", "-@dangerous");
            try (Jedis app = as(s, "app", "a")) {
                assertThat(app.set("app:1", "v")).isEqualTo("OK");
                assertThat(app.get("shared:1")).isEqualTo("s");
                assertThatThrownBy(() -> app.set("shared:1", "x"))
                        .isInstanceOf(JedisDataException.class)
                        .hasMessage("NOPERM No permissions to access a key");
                assertThatThrownBy(() -> app.get("other")).hasMessage("NOPERM No permissions to access a key");
                assertThatThrownBy(() -> app.mset("app:2", "x", "other", "y"))
                        .hasMessage("NOPERM No permissions to access a key");
                assertThatThrownBy(() -> app.rename("shared:1", "app:3"))
                        .as("RENAME deletes its source")
                        .hasMessage("NOPERM No permissions to access a key");
                assertThatThrownBy(() -> app.del("app:1", "other")).hasMessage("NOPERM No permissions to access a key");
                assertThat(app.copy("shared:1", "app:4", false)).isTrue();
            }
            assertThat(cli(s, "app", "a", "set", "other", "x")).isEqualTo("NOPERM No permissions to access a key");
            assertThat(cli(s, "app", "a", "get", "app:1")).isEqualTo("v");
            assertThat(admin.get("other")).isEqualTo("o");
            assertThat(admin.get("shared:1")).isEqualTo("s");
            assertThat(admin.exists("app:2", "app:3")).isZero();
            assertThat(admin.get("app:1")).isEqualTo("v");
            assertThat(admin.get("app:4")).isEqualTo("s");
            List<AccessControlLogEntry> log = admin.aclLog();
            assertThat(log).isNotEmpty();
            AccessControlLogEntry newest = log.get(0);
            assertThat(newest.getReason()).isEqualTo("key");
            assertThat(newest.getObject()).isEqualTo("other");
            assertThat(newest.getUsername()).isEqualTo("app");
            assertThat(newest.getContext()).isEqualTo("toplevel");
            assertThat(newest.getClientInfo()).containsEntry("user", "app").containsEntry("cmd", "set");
            assertThat(newest.getEntryId()).isPositive();
            assertThat(newest.getTimestampCreated()).isPositive();
            assertThat(newest.getCount()).as("GET, MSET, DEL, SET").isEqualTo(4);
            assertThat(log).hasSize(2);
            assertThat(log.get(1).getObject()).isEqualTo("shared:1");
            assertThat(log.get(1).getCount()).as("SET, RENAME").isEqualTo(2);
            String cliLog = RedisCliTest.run(null, "redis-cli", "-p", Integer.toString(s.port()), "acl", "log", "1");
            assertThat(cliLog).contains("count\n4\nreason\nkey\ncontext\ntoplevel\nobject\nother\nusername\napp\n");
        }
    }

    @Test
    void failedLoginsAreCountedAndLoggedAndGetuserParses() throws Exception {
        try (TestServer s = TestServer.start(dir);
                Jedis admin = new Jedis("127.0.0.1", s.port())) {
            admin.aclSetUser("bob", "on", ">right", "%W~w:*", "+set", "&news.*");
            try (Jedis bob = new Jedis("127.0.0.1", s.port())) {
                assertThatThrownBy(() -> bob.auth("bob", "wrong"))
                        .hasMessage("WRONGPASS invalid username-password pair or user is disabled.");
                assertThatThrownBy(() -> bob.auth("nobody", "x")).hasMessageStartingWith("WRONGPASS");
                assertThat(bob.auth("bob", "right")).isEqualTo("OK");
            }
            List<AccessControlLogEntry> log = admin.aclLog();
            assertThat(log).extracting(AccessControlLogEntry::getReason).containsExactly("auth", "auth");
            assertThat(log).extracting(AccessControlLogEntry::getUsername).containsExactly("nobody", "bob");
            assertThat(admin.info("stats")).contains("acl_access_denied_auth:2");
            AccessControlUser bob = admin.aclGetUser("bob");
            assertThat(bob.getFlags()).containsExactly("on");
            assertThat(bob.getPassword()).hasSize(1);
            assertThat(bob.getCommands()).isEqualTo("-@all +set");
            assertThat(bob.getKeys()).isEqualTo("%W~w:*");
            assertThat(bob.getChannels()).isEqualTo("&news.*");
            assertThat(admin.aclUsers()).containsExactly("bob", "default");
            assertThat(admin.aclList()).hasSize(2);
        }
    }

    @Test
    void anAclFileAtTheStartErrorsWithFileAndLineAndSurvivesARestart() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.acl"), "user alice on >a +get\nuser bob on +nosuch\n");
        assertThatThrownBy(() -> TestServer.start(dir.resolve("d1"), c -> c.aclFile(bad)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(bad + ":2: error in rule '+nosuch' of user 'bob': Unknown command or category name in ACL");
        assertThat(TestServer.usageError("--dir", dir.resolve("d2").toString(), "--aclfile", bad.toString()))
                .contains(bad + ":2: error in rule '+nosuch' of user 'bob'");
        Path good = Files.writeString(dir.resolve("users.acl"), "user default off\nuser alice on >a ~* +@all\n");
        try (TestServer s = TestServer.start(dir.resolve("d3"), c -> c.aclFile(good))) {
            try (Jedis anonymous = new Jedis("127.0.0.1", s.port())) {
                assertThatThrownBy(anonymous::ping).hasMessageStartingWith("NOAUTH");
            }
            try (Jedis alice = as(s, "alice", "a")) {
                alice.aclSetUser("carol", "on", ">c", "+get", "~c:*");
                assertThat(alice.aclSave()).isEqualTo("OK");
                alice.set("k", "v");
            }
        }
        assertThat(Files.readString(good)).contains("user carol on #").contains("user default off");
        try (TestServer s = TestServer.start(dir.resolve("d3"), c -> c.aclFile(good));
                Jedis carol = as(s, "carol", "c")) {
            assertThatThrownBy(() -> carol.get("k")).hasMessage("NOPERM No permissions to access a key");
            assertThat(carol.get("c:1")).isNull();
        }
    }

    @Test
    void renameCommandFromTheConfigFile() throws Exception {
        Path conf = Files.write(
                dir.resolve("strata.conf"),
                List.of("dir " + dir.resolve("data"), "rename-command FLUSHALL \"\"", "rename-command config cfg"));
        ServerMain cmd = new ServerMain();
        new CommandLine(cmd).parseArgs("--config", conf.toString());
        ServerConfig c = cmd.config();
        assertThat(c.renamedCommands()).isEqualTo(Map.of("flushall", "", "config", "cfg"));
        try (TestServer s = TestServer.start(dir.resolve("data"), x -> {
                    c.renamedCommands().forEach(x::renameCommand);
                    return x;
                });
                Jedis j = new Jedis("127.0.0.1", s.port())) {
            j.set("k", "v");
            assertThatThrownBy(j::flushAll).hasMessageStartingWith("ERR unknown command 'FLUSHALL'");
            assertThatThrownBy(() -> j.configGet("port")).hasMessageStartingWith("ERR unknown command 'CONFIG'");
            assertThat(j.get("k")).isEqualTo("v");
        }
        Path wrong = Files.write(dir.resolve("wrong.conf"), List.of("rename-command NOSUCH x"));
        assertThat(TestServer.usageError("--config", wrong.toString()))
                .contains(wrong + ":1: rename-command: no command 'nosuch'");
        Path one = Files.write(dir.resolve("one.conf"), List.of("rename-command FLUSHALL"));
        assertThat(TestServer.usageError("--config", one.toString()))
                .contains(one + ":1: rename-command needs two names");
    }
}
