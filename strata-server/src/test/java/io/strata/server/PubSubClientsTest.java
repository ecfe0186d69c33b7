package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.args.ClientPauseMode;

/**
 * Pub/Sub over the socket with real clients (Jedis's JedisPubSub, Lettuce's RESP3 pub/sub,
 * redis-cli, redis-py), the pubsub output buffer limit against a subscriber that does not read,
 * CLIENT PAUSE, MONITOR, and ACL changes that close subscribers. Every wait is bounded.
 */
class PubSubClientsTest {
    @TempDir
    Path dir;

    /** Collects what a JedisPubSub receives, as {@code channel=message} (or {@code pattern:channel=message}). */
    static final class Collector extends JedisPubSub {
        final BlockingQueue<String> got = new LinkedBlockingQueue<>();
        final CountDownLatch subscribed = new CountDownLatch(2);

        @Override
        public void onMessage(String channel, String message) {
            got.add(channel + "=" + message);
        }

        @Override
        public void onPMessage(String pattern, String channel, String message) {
            got.add(pattern + ":" + channel + "=" + message);
        }

        @Override
        public void onSubscribe(String channel, int count) {
            subscribed.countDown();
        }

        @Override
        public void onPSubscribe(String pattern, int count) {
            subscribed.countDown();
        }
    }

    private static String next(BlockingQueue<String> q) throws InterruptedException {
        String s = q.poll(10, TimeUnit.SECONDS);
        assertThat(s).as("a message within 10 s").isNotNull();
        return s;
    }

    @Test
    void jedisSubscriberReceivesChannelAndPatternMessages() throws Exception {
        try (TestServer server = TestServer.start(dir);
                Jedis subscriber = new Jedis("127.0.0.1", server.port(), 15_000);
                Jedis publisher = new Jedis("127.0.0.1", server.port())) {
            Collector c = new Collector();
            CompletableFuture<Void> listening = CompletableFuture.runAsync(() -> subscriber.subscribe(c, "news"));
            assertThat(c.subscribed.await(1, TimeUnit.NANOSECONDS) || waitOne(c))
                    .isTrue();
            c.psubscribe("sport.*");
            assertThat(c.subscribed.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(publisher.publish("news", "hello")).isEqualTo(1);
            assertThat(publisher.publish("sport.tennis", "ace")).isEqualTo(1);
            assertThat(next(c.got)).isEqualTo("news=hello");
            assertThat(next(c.got)).isEqualTo("sport.*:sport.tennis=ace");
            assertThat(publisher.pubsubNumSub("news")).containsEntry("news", 1L);
            c.punsubscribe();
            c.unsubscribe();
            listening.get(10, TimeUnit.SECONDS);
            assertThat(publisher.publish("news", "nobody")).isZero();
        }
    }

    /** Waits for the first subscription (the latch counts two). */
    private static boolean waitOne(Collector c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (c.subscribed.getCount() > 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return c.subscribed.getCount() <= 1;
    }

    @Test
    void lettuceResp3SubscriberGetsPushes() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            RedisClient client = RedisClient.create(RedisURI.builder()
                    .withHost("127.0.0.1")
                    .withPort(server.port())
                    .withTimeout(Duration.ofSeconds(10))
                    .build());
            try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
                    Jedis publisher = new Jedis("127.0.0.1", server.port())) {
                BlockingQueue<String> got = new LinkedBlockingQueue<>();
                sub.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String channel, String message) {
                        got.add(channel + "=" + message);
                    }

                    @Override
                    public void message(String pattern, String channel, String message) {
                        got.add(pattern + ":" + channel + "=" + message);
                    }
                });
                sub.sync().subscribe("a");
                sub.sync().psubscribe("a*");
                assertThat(sub.sync().ping())
                        .as("RESP3: any command while subscribed")
                        .isEqualTo("PONG");
                assertThat(publisher.publish("a", "m")).isEqualTo(2);
                assertThat(List.of(next(got), next(got))).containsExactlyInAnyOrder("a=m", "a*:a=m");
                assertThat(publisher.clientList()).contains(" flags=P ").contains(" sub=1 psub=1 ssub=0 ");
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
    }

    /**
     * A subscriber that never reads: once what is queued for it reaches the pubsub hard limit it
     * is closed, and what the server held for it (CLIENT LIST omem) never passed the limit by more
     * than one message. Bounded: at most 4000 messages of 16 KiB.
     */
    @Test
    void aSubscriberThatDoesNotReadIsDisconnectedAtTheHardLimit() throws Exception {
        long limit = 1 << 20;
        int size = 16 * 1024;
        try (TestServer server = TestServer.start(dir, c -> c.clientOutputBufferLimit("pubsub " + limit + " 0 0"));
                Socket slow = new Socket();
                Jedis publisher = new Jedis("127.0.0.1", server.port())) {
            slow.setReceiveBufferSize(4096);
            slow.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
            slow.getOutputStream()
                    .write(TestServer.RawClient.encode("SUBSCRIBE", "c").getBytes(StandardCharsets.UTF_8));
            awaitSubscribers(publisher, 1);
            String payload = "x".repeat(size);
            long maxHeld = 0;
            int sent = 0;
            while (sent < 4000 && publisher.publish("c", payload) == 1) {
                sent++;
                for (String line : publisher.clientList().split("\n", -1)) {
                    if (line.contains(" sub=1 ")) {
                        maxHeld = Math.max(maxHeld, Long.parseLong(line.replaceAll(".* omem=(\\d+) .*", "$1")));
                    }
                }
            }
            assertThat(sent)
                    .as("the subscriber was closed before 4000 messages")
                    .isLessThan(4000);
            assertThat(maxHeld)
                    .as("held for it: at most the limit and one message")
                    .isLessThan(limit + size + 100);
            assertThat(publisher.info("stats")).contains("client_output_buffer_limit_disconnections:1\r\n");
            awaitSubscribers(publisher, 0);
            InputStream in = slow.getInputStream();
            slow.setSoTimeout(10_000);
            long read = 0;
            byte[] buf = new byte[65536];
            for (int n = in.read(buf); n >= 0 && read < 1L << 30; n = in.read(buf)) {
                read += n;
            }
            assertThat(read).as("the socket ends: the server closed it").isLessThan(1L << 30);
        }
    }

    private static void awaitSubscribers(Jedis j, long n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (j.pubsubNumSub("c").get("c") != n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(j.pubsubNumSub("c")).containsEntry("c", n);
    }

    @Test
    void clientPauseHoldsWritesUntilUnpausedAndEverythingForItsTimeout() throws Exception {
        try (TestServer server = TestServer.start(dir);
                Jedis admin = new Jedis("127.0.0.1", server.port(), 15_000);
                Jedis writer = new Jedis("127.0.0.1", server.port(), 15_000);
                Jedis reader = new Jedis("127.0.0.1", server.port(), 15_000)) {
            writer.set("k", "1");
            assertThat(admin.clientPause(10_000, ClientPauseMode.WRITE)).isEqualTo("OK");
            CompletableFuture<String> held = CompletableFuture.supplyAsync(() -> writer.set("k", "2"));
            assertThat(reader.get("k")).as("reads go on").isEqualTo("1");
            Thread.sleep(200);
            assertThat(held).as("the write waits").isNotDone();
            assertThat(reader.get("k")).isEqualTo("1");
            assertThat(admin.clientUnpause()).isEqualTo("OK");
            assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo("OK");
            assertThat(reader.get("k")).isEqualTo("2");

            assertThat(admin.clientPause(300, ClientPauseMode.ALL)).isEqualTo("OK");
            long t0 = System.nanoTime();
            assertThat(reader.ping()).isEqualTo("PONG");
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(waited).as("ALL holds reads too, for the pause's 300 ms").isBetween(200L, 10_000L);
        }
    }

    /** MONITOR over the socket: redis-cli's own lines, as it prints them. */
    @Test
    void monitorStreamsOtherClientsCommands() throws Exception {
        try (TestServer server = TestServer.start(dir);
                TestServer.RawClient monitor = server.raw();
                Jedis j = new Jedis("127.0.0.1", server.port())) {
            assertThat(monitor.command("MONITOR").reply()).isEqualTo("+OK\r\n");
            j.set("k", "v");
            String line = monitor.line();
            assertThat(line).matches("\\+\\d+\\.\\d{6} \\[0 127\\.0\\.0\\.1:\\d+\\] \"SET\" \"k\" \"v\"");
        }
    }

    /**
     * ACL: a channel the user may not use is refused (through Jedis and redis-cli), and a
     * subscriber whose user loses the channel is disconnected, as in Redis 7.
     */
    @Test
    void aclRefusesChannelsAndDisconnectsSubscribersThatLoseThem() throws Exception {
        try (TestServer server = TestServer.start(dir);
                Jedis admin = new Jedis("127.0.0.1", server.port(), 15_000);
                Jedis alice = new Jedis("127.0.0.1", server.port(), 15_000)) {
            admin.aclSetUser("alice", "on", ">pw", "+@all", "~*", "resetchannels", "&news.*");
            alice.auth("alice", "pw");
            assertThatThrownBy(() -> alice.publish("other", "x"))
                    .hasMessage("NOPERM No permissions to access a channel");
            String cli = RedisCliTest.run(
                    null,
                    "redis-cli",
                    "-p",
                    Integer.toString(server.port()),
                    "--user",
                    "alice",
                    "--pass",
                    "pw",
                    "--no-auth-warning",
                    "SUBSCRIBE",
                    "other");
            assertThat(cli.trim()).isEqualTo("NOPERM No permissions to access a channel");
            assertThat(admin.aclLog().get(0).getReason()).isEqualTo("channel");
            assertThat(admin.aclLog().get(0).getObject()).isEqualTo("other");

            Collector c = new Collector();
            CompletableFuture<Void> listening = CompletableFuture.runAsync(() -> alice.subscribe(c, "news.1"));
            assertThat(waitOne(c)).isTrue();
            admin.aclSetUser("alice", "&news.1");
            assertThat(admin.publish("news.1", "still"))
                    .as("a pattern added: it stays")
                    .isEqualTo(1);
            assertThat(next(c.got)).isEqualTo("news.1=still");
            admin.aclSetUser("alice", "resetchannels");
            assertThatThrownBy(() -> listening.get(10, TimeUnit.SECONDS))
                    .as("the subscription ends with the connection")
                    .isInstanceOf(java.util.concurrent.ExecutionException.class);
            assertThat(admin.publish("news.1", "gone")).isZero();
        }
    }

    @Test
    void redisPySubscriber() throws Exception {
        String python = TransactionClientsTest.requirePythonWithRedis();
        try (TestServer server = TestServer.start(dir)) {
            String out = TransactionClientsTest.runRedisPy(
                    python,
                    dir,
                    "sub.py",
                    server,
                    "import sys, time, redis",
                    "r = redis.Redis(host='127.0.0.1', port=int(sys.argv[1]))",
                    "p = r.pubsub()",
                    "p.subscribe('news')",
                    "p.psubscribe('n*')",
                    "def wait():",
                    "    deadline = time.time() + 10",
                    "    while time.time() < deadline:",
                    "        m = p.get_message(timeout=1.0)",
                    "        if m is not None:",
                    "            return m",
                    "    raise SystemExit('no message within 10 s')",
                    "print(wait())",
                    "print(wait())",
                    "print(r.publish('news', 'hi'))",
                    "print(wait())",
                    "print(wait())",
                    "print(r.pubsub_numsub('news'), r.pubsub_numpat())",
                    "p.close()",
                    "");
            assertThat(out.lines().toList())
                    .containsExactly(
                            "{'type': 'subscribe', 'pattern': None, 'channel': b'news', 'data': 1}",
                            "{'type': 'psubscribe', 'pattern': None, 'channel': b'n*', 'data': 2}",
                            "2",
                            "{'type': 'message', 'pattern': None, 'channel': b'news', 'data': b'hi'}",
                            "{'type': 'pmessage', 'pattern': b'n*', 'channel': b'news', 'data': b'hi'}",
                            "[(b'news', 1)] 1");
        }
    }
}
