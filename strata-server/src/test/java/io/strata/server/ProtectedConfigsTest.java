package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/** CONFIG SET of the parameters that name files: refused unless --enable-protected-configs yes. */
class ProtectedConfigsTest {
    @TempDir
    Path dir;

    @TempDir
    Path other;

    private static String protectedError(String name) {
        return "ERR CONFIG SET failed (possibly related to argument '" + name + "') - can't set protected config";
    }

    @Test
    void pathParametersAreRefusedByDefault() {
        try (TestServer s = TestServer.start(dir);
                Jedis j = new Jedis("127.0.0.1", s.port())) {
            String before = j.configGet("checkpoint-dir").get("checkpoint-dir");
            for (String name : new String[] {"dir", "checkpoint-dir"}) {
                assertThatThrownBy(() -> j.configSet(name, other.toString()))
                        .as(name)
                        .isInstanceOf(JedisDataException.class)
                        .hasMessage(protectedError(name));
            }
            // The TLS files are not protected in Redis 7 (redis-server 7.0.15 sets tls-cert-file without
            // enable-protected-configs): here they are refused only for want of a TLS port (TlsReloadTest
            // sets them on a server that has one).
            for (String name : new String[] {"tls-cert-file", "tls-key-file", "tls-ca-cert-file"}) {
                assertThatThrownBy(() -> j.configSet(name, other.toString()))
                        .as(name)
                        .isInstanceOf(JedisDataException.class)
                        .hasMessage("ERR CONFIG SET failed (possibly related to argument '" + name
                                + "') - the server has no TLS port (start it with --tls-port)");
            }
            // in any case, and together with an allowed one: nothing of the call is applied
            assertThatThrownBy(() -> j.configSet("maxclients", "7", "CHECKPOINT-DIR", other.toString()))
                    .hasMessage(protectedError("checkpoint-dir"));
            assertThat(j.configGet("maxclients")).containsEntry("maxclients", "10000");
            assertThat(j.configGet("checkpoint-dir")).containsEntry("checkpoint-dir", before);
            assertThat(j.configGet("enable-protected-configs")).containsEntry("enable-protected-configs", "no");
            assertThatThrownBy(() -> j.configSet("enable-protected-configs", "yes"))
                    .hasMessage("ERR CONFIG SET failed (possibly related to argument 'enable-protected-configs') - "
                            + "can't set immutable config");
            // the other parameters are as they were
            assertThat(j.configSet("maxclients", "7")).isEqualTo("OK");
        }
    }

    @Test
    void enabledTheyAreSetWhereStrataCanChangeThem() {
        try (TestServer s = TestServer.start(dir, c -> c.enableProtectedConfigs(true));
                Jedis j = new Jedis("127.0.0.1", s.port())) {
            assertThat(j.configSet("checkpoint-dir", other.toString())).isEqualTo("OK");
            assertThat(j.configGet("checkpoint-dir")).containsEntry("checkpoint-dir", other.toString());
            assertThat(j.sendCommand(() -> "STRATA.CHECKPOINT".getBytes(java.nio.charset.StandardCharsets.UTF_8), "cp"))
                    .isNotNull();
            assertThat(other.resolve("cp")).isDirectory();
            // the data directory of an open store cannot move
            assertThatThrownBy(() -> j.configSet("dir", other.toString()))
                    .hasMessage(
                            "ERR CONFIG SET failed (possibly related to argument 'dir') - can't set immutable config");
            assertThat(j.configGet("enable-protected-configs")).containsEntry("enable-protected-configs", "yes");
        }
    }

    @Test
    void commandLineOptions() throws Exception {
        assertThat(TestServer.usageError("--enable-protected-configs", "maybe")).contains("expected yes or no");
        ServerMain m = new ServerMain();
        new picocli.CommandLine(m).parseArgs("--enable-protected-configs", "yes", "--protected-mode", "no");
        assertThat(m.config().enableProtectedConfigs()).isTrue();
        assertThat(m.config().protectedMode()).isFalse();
        ServerMain defaults = new ServerMain();
        new picocli.CommandLine(defaults).parseArgs();
        assertThat(defaults.config().enableProtectedConfigs()).isFalse();
        assertThat(defaults.config().protectedMode()).isTrue();
    }
}
