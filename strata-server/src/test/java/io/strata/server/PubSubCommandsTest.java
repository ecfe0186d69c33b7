package io.strata.server;

import static io.strata.server.CommandHarness.OK;
import static io.strata.server.CommandHarness.bulk;
import static io.strata.server.CommandHarness.error;
import static io.strata.server.CommandHarness.integer;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * SUBSCRIBE and its kin, PUBLISH, PUBSUB and subscribed mode through the dispatcher, with the
 * replies redis-server 7.0.15 sends, byte for byte, in RESP2 and RESP3.
 */
class PubSubCommandsTest extends WithCommandHarness {
    static String confirm(String word, String channel, long count) {
        return "*3\r\n" + bulk(word) + (channel == null ? "$-1\r\n" : bulk(channel)) + integer(count);
    }

    static String message(String channel, String payload) {
        return "*3\r\n" + bulk("message") + bulk(channel) + bulk(payload);
    }

    @Test
    void subscribersReceiveWhatIsPublishedOnTheirChannelsAndPatterns() {
        CommandHarness.Connection sub = h.connect();
        assertThat(sub.run("SUBSCRIBE", "a", "b"))
                .isEqualTo(confirm("subscribe", "a", 1) + confirm("subscribe", "b", 2));
        assertThat(sub.run("PSUBSCRIBE", "n*")).isEqualTo(confirm("psubscribe", "n*", 3));
        assertThat(sub.run("SUBSCRIBE", "a")).as("again: counted once").isEqualTo(confirm("subscribe", "a", 3));
        assertThat(h.run("PUBLISH", "a", "hello")).isEqualTo(integer(1));
        assertThat(h.run("PUBLISH", "news", "x")).isEqualTo(integer(1));
        assertThat(h.run("PUBLISH", "nobody", "x"))
                .as("a channel and a pattern: two deliveries")
                .isEqualTo(integer(1));
        assertThat(h.run("PUBLISH", "c", "lost")).isEqualTo(integer(0));
        assertThat(sub.replies())
                .isEqualTo(message("a", "hello")
                        + "*4\r\n" + bulk("pmessage") + bulk("n*") + bulk("news") + bulk("x")
                        + "*4\r\n" + bulk("pmessage") + bulk("n*") + bulk("nobody") + bulk("x"));
        assertThat(sub.run("UNSUBSCRIBE"))
                .as("without arguments: each channel, in the order subscribed")
                .isEqualTo(confirm("unsubscribe", "a", 2) + confirm("unsubscribe", "b", 1));
        assertThat(sub.run("PUNSUBSCRIBE", "n*", "zz"))
                .isEqualTo(confirm("punsubscribe", "n*", 0) + confirm("punsubscribe", "zz", 0));
        assertThat(sub.run("UNSUBSCRIBE")).as("none left: one null").isEqualTo(confirm("unsubscribe", null, 0));
        assertThat(h.run("PUBLISH", "a", "gone")).isEqualTo(integer(0));
        assertThat(sub.run("GET", "a")).as("out of subscribed mode").isEqualTo(CommandHarness.NIL);
    }

    @Test
    void aResp2SubscriberMayRunOnlyTheSubscribedModeCommandsAndPingAnswersAnArray() {
        h.run("SUBSCRIBE", "a");
        assertThat(h.run("GET", "x"))
                .isEqualTo(error("ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET"
                        + " are allowed in this context"));
        assertThat(h.run("CLIENT", "INFO")).startsWith("-ERR Can't execute 'client|info'");
        assertThat(h.run("PING")).isEqualTo("*2\r\n" + bulk("pong") + bulk(""));
        assertThat(h.run("PING", "hi")).isEqualTo("*2\r\n" + bulk("pong") + bulk("hi"));
        assertThat(h.run("SSUBSCRIBE", "s")).as("shard channels count apart").isEqualTo(confirm("ssubscribe", "s", 1));
        assertThat(h.run("RESET")).isEqualTo("+RESET\r\n");
        assertThat(h.run("PUBLISH", "a", "x"))
                .as("RESET dropped the subscriptions")
                .isEqualTo(integer(0));
        assertThat(h.run("PING")).isEqualTo("+PONG\r\n");
    }

    @Test
    void resp3SubscribersGetPushesAndMayRunAnyCommand() {
        h.run("HELLO", "3");
        assertThat(h.run("SUBSCRIBE", "a")).isEqualTo(">3\r\n" + bulk("subscribe") + bulk("a") + integer(1));
        assertThat(h.run("PSUBSCRIBE", "a*")).isEqualTo(">3\r\n" + bulk("psubscribe") + bulk("a*") + integer(2));
        assertThat(h.run("GET", "x")).isEqualTo("_\r\n");
        assertThat(h.run("PING")).isEqualTo("+PONG\r\n");
        CommandHarness.Connection pub = h.connect();
        assertThat(pub.run("PUBLISH", "a", "hello")).isEqualTo(integer(2));
        assertThat(h.replies())
                .isEqualTo(">3\r\n" + bulk("message") + bulk("a") + bulk("hello") + ">4\r\n" + bulk("pmessage")
                        + bulk("a*") + bulk("a") + bulk("hello"));
        assertThat(h.run("UNSUBSCRIBE")).isEqualTo(">3\r\n" + bulk("unsubscribe") + bulk("a") + integer(1));
    }

    @Test
    void shardChannelsAreANamespaceOfTheirOwn() {
        CommandHarness.Connection sub = h.connect();
        sub.run("SSUBSCRIBE", "s");
        sub.run("SUBSCRIBE", "c");
        assertThat(h.run("PUBLISH", "s", "x")).isEqualTo(integer(0));
        assertThat(h.run("SPUBLISH", "c", "x")).isEqualTo(integer(0));
        assertThat(h.run("SPUBLISH", "s", "m")).isEqualTo(integer(1));
        assertThat(sub.replies()).isEqualTo("*3\r\n" + bulk("smessage") + bulk("s") + bulk("m"));
        assertThat(sub.run("SUNSUBSCRIBE")).isEqualTo(confirm("sunsubscribe", "s", 0));
    }

    @Test
    void pubsubReportsChannelsSubscribersAndPatterns() {
        CommandHarness.Connection one = h.connect();
        CommandHarness.Connection two = h.connect();
        one.run("SUBSCRIBE", "news", "sport");
        two.run("SUBSCRIBE", "news");
        two.run("PSUBSCRIBE", "n*", "s*");
        one.run("PSUBSCRIBE", "n*");
        two.run("SSUBSCRIBE", "shard");
        assertThat(h.run("PUBSUB", "CHANNELS", "n*")).isEqualTo("*1\r\n" + bulk("news"));
        assertThat(h.run("PUBSUB", "CHANNELS"))
                .contains(bulk("news"))
                .contains(bulk("sport"))
                .startsWith("*2\r\n");
        assertThat(h.run("PUBSUB", "NUMSUB", "news", "sport", "none"))
                .isEqualTo(
                        "*6\r\n" + bulk("news") + integer(2) + bulk("sport") + integer(1) + bulk("none") + integer(0));
        assertThat(h.run("PUBSUB", "NUMSUB")).isEqualTo("*0\r\n");
        assertThat(h.run("PUBSUB", "NUMPAT")).as("distinct patterns").isEqualTo(integer(2));
        assertThat(h.run("PUBSUB", "SHARDCHANNELS")).isEqualTo("*1\r\n" + bulk("shard"));
        assertThat(h.run("PUBSUB", "SHARDNUMSUB", "shard")).isEqualTo("*2\r\n" + bulk("shard") + integer(1));
        h.run("HELLO", "3");
        assertThat(h.run("PUBSUB", "NUMSUB", "news"))
                .as("an array in RESP3 too")
                .isEqualTo("*2\r\n" + bulk("news") + integer(2));
        assertThat(h.run("PUBSUB", "CHANNELS", "a", "b"))
                .isEqualTo(
                        error("ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB HELP."));
        assertThat(h.run("PUBSUB", "FOO")).isEqualTo(error("ERR unknown subcommand 'FOO'. Try PUBSUB HELP."));
        assertThat(h.run("PUBSUB", "NUMPAT", "x"))
                .isEqualTo(error("ERR wrong number of arguments for 'pubsub|numpat' command"));
        two.disconnect();
        assertThat(h.run("PUBSUB", "NUMSUB", "news"))
                .as("a closed connection's subscriptions go")
                .isEqualTo("*2\r\n" + bulk("news") + integer(1));
        assertThat(h.run("PUBSUB", "SHARDCHANNELS")).isEqualTo("*0\r\n");
    }

    @Test
    void clientListShowsSubscriptionsTransactionsAndFlags() {
        CommandHarness.Connection sub = h.connect();
        sub.run("SUBSCRIBE", "a", "b");
        sub.run("PSUBSCRIBE", "p*");
        sub.run("SSUBSCRIBE", "s");
        h.run("CLIENT", "NO-EVICT", "ON");
        h.run("MULTI");
        h.run("SET", "k", "v");
        String list = h.connect().run("CLIENT", "LIST");
        assertThat(list).contains(" flags=P db=0 sub=2 psub=1 ssub=1 multi=-1 ");
        assertThat(list).contains(" flags=xe db=0 sub=0 psub=0 ssub=0 multi=1 ");
        h.run("DISCARD");
        assertThat(h.run("CLIENT", "LIST", "TYPE", "pubsub"))
                .contains(" sub=2 ")
                .doesNotContain(" sub=0 ");
        assertThat(h.run("CLIENT", "LIST", "TYPE", "normal"))
                .contains(" sub=0 ")
                .doesNotContain(" sub=2 ");
        assertThat(h.run("CLIENT", "LIST", "TYPE", "replica")).isEqualTo(bulk(""));
        String info = h.connect().run("INFO");
        assertThat(info).contains("\r\npubsub_clients:1\r\n");
        assertThat(info).contains("\r\npubsub_channels:2\r\npubsub_patterns:1\r\npubsubshard_channels:1\r\n");
        h.run("CLIENT", "NO-EVICT", "OFF");
        assertThat(h.run("CLIENT", "INFO")).contains(" flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 ");
    }

    @Test
    void subscribeInATransactionRunsWithExec() {
        h.run("MULTI");
        assertThat(h.run("SUBSCRIBE", "a")).isEqualTo("+QUEUED\r\n");
        assertThat(h.run("EXEC")).isEqualTo("*1\r\n" + confirm("subscribe", "a", 1));
        assertThat(h.connect().run("PUBLISH", "a", "m")).isEqualTo(integer(1));
    }

    @Test
    void clientReplyOffAndSkipDropRepliesButNotMessages() {
        assertThat(h.run("CLIENT", "REPLY", "SKIP")).isEmpty();
        assertThat(h.run("PING")).isEmpty();
        assertThat(h.run("PING")).isEqualTo("+PONG\r\n");
        h.send("CLIENT", "REPLY", "SKIP").send("SET", "k", "v").send("SET", "k2", "v");
        assertThat(h.flush())
                .as("the skipped SET's gathered OK is dropped, the next one's sent")
                .isEqualTo(OK);
        assertThat(h.run("CLIENT", "REPLY", "OFF")).isEmpty();
        assertThat(h.run("SET", "k", "v2")).isEmpty();
        assertThat(h.run("GET", "k")).isEmpty();
        h.run("HELLO", "3");
        h.run("SUBSCRIBE", "c");
        h.connect().run("PUBLISH", "c", "m");
        assertThat(h.replies()).as("a push is no reply").isEqualTo(">3\r\n" + bulk("message") + bulk("c") + bulk("m"));
        assertThat(h.run("CLIENT", "REPLY", "ON")).isEqualTo(OK);
        assertThat(h.run("GET", "k")).isEqualTo(bulk("v2"));
        assertThat(h.run("CLIENT", "REPLY", "MAYBE")).isEqualTo(error("ERR syntax error"));
    }

    @Test
    void subscribeConfirmationsAreSentUnderClientReplyOffAndSkipAsRedis72Does() {
        // Redis 7.2 sends them as pushes (CLIENT_PUSHING), in RESP2 too; 7.0 dropped them.
        assertThat(h.run("CLIENT", "REPLY", "OFF")).isEmpty();
        assertThat(h.run("SUBSCRIBE", "a", "b")).isEqualTo(confirm("subscribe", "a", 1) + confirm("subscribe", "b", 2));
        assertThat(h.run("UNSUBSCRIBE", "a")).isEqualTo(confirm("unsubscribe", "a", 1));
        assertThat(h.run("PING")).as("a reply stays muted").isEmpty();
        CommandHarness.Connection resp3 = h.connect();
        resp3.run("HELLO", "3");
        assertThat(resp3.run("CLIENT", "REPLY", "SKIP")).isEmpty();
        assertThat(resp3.run("PSUBSCRIBE", "*")).isEqualTo(">3\r\n" + bulk("psubscribe") + bulk("*") + integer(1));
        assertThat(resp3.run("CLIENT", "REPLY", "OFF")).isEmpty();
        assertThat(resp3.run("PUNSUBSCRIBE")).isEqualTo(">3\r\n" + bulk("punsubscribe") + bulk("*") + integer(0));
    }

    @Test
    void aSubscriberThatDoesNotReadIsClosedAtTheHardLimitAndHoldsNoMoreThanIt() {
        assertThat(h.run("CONFIG", "SET", "client-output-buffer-limit", "pubsub 10kb 0 0"))
                .isEqualTo(OK);
        assertThat(h.run("CONFIG", "GET", "client-output-buffer-limit"))
                .isEqualTo("*2\r\n" + bulk("client-output-buffer-limit")
                        + bulk("normal 0 0 0 slave 268435456 67108864 60 pubsub 10240 0 0"));
        CommandHarness.Connection slow = h.connect();
        slow.run("SUBSCRIBE", "c");
        String payload = "x".repeat(1000);
        int delivered = 0;
        for (int i = 0; i < 100; i++) {
            delivered += h.run("PUBLISH", "c", payload).equals(integer(1)) ? 1 : 0;
        }
        assertThat(delivered).as("the registry still names it until it closes").isEqualTo(100);
        String got = slow.replies();
        assertThat(slow.closedByServer()).isTrue();
        assertThat(got).as("nothing of what it was sent").isEmpty();
        assertThat(h.run("INFO", "stats")).contains("client_output_buffer_limit_disconnections:1\r\n");
        assertThat(h.run("CONFIG", "SET", "client-output-buffer-limit", "pubsub 1 2"))
                .isEqualTo(error("ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - "
                        + "Wrong number of arguments in buffer limit configuration."));
        assertThat(h.run("CONFIG", "SET", "client-output-buffer-limit", "foo 1 2 3"))
                .isEqualTo(error("ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - "
                        + "Invalid client class specified in buffer limit configuration."));
    }
}
