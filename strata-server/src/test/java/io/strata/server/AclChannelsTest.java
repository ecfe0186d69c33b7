package io.strata.server;

import static io.strata.server.CommandHarness.OK;
import static io.strata.server.CommandHarness.bulk;
import static io.strata.server.CommandHarness.error;
import static io.strata.server.CommandHarness.integer;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** ACL channel rules (&glob, allchannels, resetchannels, acl-pubsub-default) on the Pub/Sub commands. */
class AclChannelsTest extends WithCommandHarness {
    private static final String DENIED = error("NOPERM No permissions to access a channel");

    private CommandHarness.Connection alice() {
        assertThat(h.run("ACL", "SETUSER", "alice", "on", ">pw", "+@all", "~*", "resetchannels", "&news.*"))
                .isEqualTo(OK);
        CommandHarness.Connection c = h.connect();
        assertThat(c.run("AUTH", "alice", "pw")).isEqualTo(OK);
        return c;
    }

    @Test
    void channelsMustMatchAGlobAndPatternsMustBeOneLiterally() {
        CommandHarness.Connection a = alice();
        assertThat(a.run("PUBLISH", "news.1", "x")).isEqualTo(integer(0));
        assertThat(a.run("PUBLISH", "other", "x")).isEqualTo(DENIED);
        assertThat(a.run("SPUBLISH", "other", "x")).isEqualTo(DENIED);
        assertThat(a.run("SUBSCRIBE", "news.1", "other"))
                .as("one refused channel refuses the whole command")
                .isEqualTo(DENIED);
        assertThat(a.run("PSUBSCRIBE", "news.1*"))
                .as("a narrower pattern is not the rule's")
                .isEqualTo(DENIED);
        assertThat(a.run("PSUBSCRIBE", "news.*"))
                .isEqualTo("*3\r\n" + bulk("psubscribe") + bulk("news.*") + integer(1));
        assertThat(a.run("SSUBSCRIBE", "other")).isEqualTo(DENIED);
        assertThat(a.run("UNSUBSCRIBE", "other"))
                .as("leaving is always allowed")
                .startsWith("*3\r\n");
        assertThat(h.run("INFO", "stats")).contains("acl_access_denied_channel:5\r\n");
        String log = h.run("ACL", "LOG", "1");
        assertThat(log)
                .contains(bulk("reason")
                        + bulk("channel")
                        + bulk("context")
                        + bulk("toplevel")
                        + bulk("object")
                        + bulk("other")
                        + bulk("username")
                        + bulk("alice"));
        assertThat(h.run("ACL", "DRYRUN", "alice", "SUBSCRIBE", "other"))
                .isEqualTo(bulk("No permissions to access the 'other' channel"));
        assertThat(h.run("ACL", "DRYRUN", "alice", "SUBSCRIBE", "news.2")).isEqualTo(OK);
    }

    @Test
    void newUsersGetNoChannelsUnlessAclPubsubDefaultIsAllchannels() {
        assertThat(h.run("CONFIG", "GET", "acl-pubsub-default"))
                .isEqualTo("*2\r\n" + bulk("acl-pubsub-default") + bulk("resetchannels"));
        h.run("ACL", "SETUSER", "bob", "on", "nopass", "+@all");
        assertThat(h.run("ACL", "DRYRUN", "bob", "PUBLISH", "c", "m"))
                .isEqualTo(bulk("No permissions to access the 'c' channel"));
        assertThat(h.run("CONFIG", "SET", "acl-pubsub-default", "allchannels")).isEqualTo(OK);
        h.run("ACL", "SETUSER", "carol", "on", "nopass", "+@all");
        assertThat(h.run("ACL", "DRYRUN", "carol", "PUBLISH", "c", "m")).isEqualTo(OK);
        assertThat(h.run("ACL", "DRYRUN", "bob", "PUBLISH", "c", "m"))
                .as("existing users keep theirs")
                .startsWith("$");
        assertThat(h.run("CONFIG", "SET", "acl-pubsub-default", "some"))
                .isEqualTo(error("ERR CONFIG SET failed (possibly related to argument 'acl-pubsub-default') - "
                        + "argument(s) must be one of the following: allchannels, resetchannels"));
    }
}
