package io.strata.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.util.SafeEncoder;

/**
 * PUBLISH reaches the subscribers of every node, as in Redis Cluster: a subscriber on a follower
 * gets what is published on the leader and the other way round, and keyspace events of a write
 * sent to a follower (which the leader runs) reach a subscriber on that follower, once.
 */
class ClusterPubSubTest {
    @TempDir
    Path dir;

    private LocalCluster c;
    private LocalCluster.Node leader;

    @BeforeEach
    void start() {
        c = new LocalCluster(dir, 3, 4 << 20).start();
        leader = c.awaitLeader(60_000);
    }

    @AfterEach
    void stop() {
        c.close();
    }

    /** A subscriber on one node, on its own thread: what it receives, as {@code channel=message}. */
    private static final class Subscriber implements AutoCloseable {
        final BlockingQueue<String> got = new LinkedBlockingQueue<>();
        private final CountDownLatch subscribed = new CountDownLatch(2);
        private final Jedis jedis;
        private final JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                got.add(channel + "=" + message);
            }

            @Override
            public void onSubscribe(String channel, int count) {
                subscribed.countDown();
            }
        };
        private final CompletableFuture<Void> listening;

        /** Subscribes to the channels and to {@link #WARM_UP}. */
        Subscriber(LocalCluster.Node node, String... channels) throws InterruptedException {
            jedis = node.jedis();
            String[] all = java.util.Arrays.copyOf(channels, channels.length + 1);
            all[channels.length] = WARM_UP;
            listening = CompletableFuture.runAsync(() -> jedis.subscribe(listener, all));
            assertThat(subscribed.await(15, TimeUnit.SECONDS)).as("subscribed").isTrue();
        }

        String next() throws InterruptedException {
            String s = got.poll(15, TimeUnit.SECONDS);
            assertThat(s).as("a message within 15 s").isNotNull();
            return s;
        }

        @Override
        public void close() throws Exception {
            listener.unsubscribe();
            listening.get(15, TimeUnit.SECONDS);
            jedis.close();
        }
    }

    /** The channel {@link #warmUp} publishes on. */
    private static final String WARM_UP = "warm-up";

    /**
     * Publishes on {@link #WARM_UP} until every subscriber has received one (at most 60 s), then
     * forgets what they received: delivery to other nodes is at most once, and under a heavy load
     * the first sending, which opens the connection between the nodes, may time out and be lost.
     */
    private static void warmUp(Jedis from, Subscriber... to) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (Subscriber s : to) {
            while (s.got.stream().noneMatch(m -> m.startsWith(WARM_UP + "=")) && System.nanoTime() < deadline) {
                from.publish(WARM_UP, "ping");
                Thread.sleep(200);
            }
            assertThat(s.got)
                    .as("the way between the nodes is open within 60 s")
                    .anyMatch(m -> m.startsWith(WARM_UP));
        }
        Thread.sleep(500); // the last warm-up messages arrive
        for (Subscriber s : to) {
            s.got.clear();
        }
    }

    /**
     * The node's count of lost messages once it has stopped changing (the same for 2 s; at most
     * 60 s): a sending to a member that is down fails after a while.
     */
    private static long awaitSettledLosses(LocalCluster.Node node) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long last = Long.parseLong(node.info("published_messages_lost"));
        long since = System.nanoTime();
        while (System.nanoTime() < deadline && System.nanoTime() - since < TimeUnit.SECONDS.toNanos(2)) {
            Thread.sleep(100);
            long now = Long.parseLong(node.info("published_messages_lost"));
            if (now != last) {
                last = now;
                since = System.nanoTime();
            }
        }
        return last;
    }

    @Test
    void messagesReachSubscribersOnEveryNode() throws Exception {
        LocalCluster.Node follower = c.followers(leader).get(0);
        try (Subscriber onFollower = new Subscriber(follower, "news");
                Subscriber onLeader = new Subscriber(leader, "news");
                Jedis l = leader.jedis();
                Jedis f = follower.jedis()) {
            warmUp(l, onFollower);
            warmUp(f, onLeader);
            assertThat(l.publish("news", "from-leader"))
                    .as("this node's subscribers")
                    .isEqualTo(1);
            assertThat(onFollower.next()).isEqualTo("news=from-leader");
            assertThat(onLeader.next()).isEqualTo("news=from-leader");
            for (int i = 0; i < 20; i++) {
                f.publish("news", "from-follower-" + i);
            }
            for (int i = 0; i < 20; i++) {
                assertThat(onLeader.next()).as("in the order published").isEqualTo("news=from-follower-" + i);
                assertThat(onFollower.next()).isEqualTo("news=from-follower-" + i);
            }
            assertThat(onLeader.got.poll(300, TimeUnit.MILLISECONDS))
                    .as("each once")
                    .isNull();
            assertThat(onFollower.got).isEmpty();
            assertThat(leader.info("published_messages_lost")).isEqualTo("0");
            assertThat(follower.info("published_messages_lost")).isEqualTo("0");
        }
    }

    /** A member that is down loses what is published meanwhile, counted; the others still get it. */
    @Test
    void aMemberThatIsDownLosesMessagesAndTheyAreCounted() throws Exception {
        LocalCluster.Node down = c.followers(leader).get(0);
        LocalCluster.Node up = c.followers(leader).get(1);
        down.server.stop();
        try (Subscriber onUp = new Subscriber(up, "news");
                Jedis l = leader.jedis()) {
            warmUp(l, onUp);
            long lost = awaitSettledLosses(leader);
            assertThat(lost)
                    .as("the warm-up's messages to the member that is down")
                    .isPositive();
            l.publish("news", "m");
            assertThat(onUp.next()).isEqualTo("news=m");
            assertThat(awaitSettledLosses(leader))
                    .as("m, lost for the member that is down")
                    .isEqualTo(lost + 1);
        }
    }

    /**
     * The leader's active expiry deletes a key whose expiry passed, as one replicated entry, so it
     * leaves every node's engine; its expired event is published once, by the leader.
     */
    @Test
    void theLeaderExpiresKeysForEveryNodeAndPublishesOnce() throws Exception {
        LocalCluster.Node follower = c.followers(leader).get(0);
        notifyOnEveryNode("Ex");
        try (Subscriber events = new Subscriber(follower, "__keyevent@0__:expired");
                Jedis f = follower.jedis();
                Jedis l = leader.jedis()) {
            warmUp(l, events);
            assertThat(f.set(
                            "k",
                            "v",
                            redis.clients.jedis.params.SetParams.setParams().px(300)))
                    .isEqualTo("OK");
            assertThat(events.next()).isEqualTo("__keyevent@0__:expired=k");
            assertThat(events.got.poll(500, TimeUnit.MILLISECONDS)).as("once").isNull();
            for (LocalCluster.Node n : c.nodes) {
                TestCluster.await(
                        n.id + " applied the deletion", () -> n.cluster.engineValue(SafeEncoder.encode("k")) == null);
            }
            assertThat(l.info("stats")).contains("expired_keys:1\r\n");
        }
    }

    private void notifyOnEveryNode(String flags) {
        for (LocalCluster.Node n : c.nodes) {
            try (Jedis j = n.jedis()) {
                assertThat(j.configSet("notify-keyspace-events", flags)).isEqualTo("OK");
            }
        }
    }

    @Test
    void keyspaceEventsOfAWriteSentToAFollowerReachItsSubscribersOnce() throws Exception {
        LocalCluster.Node follower = c.followers(leader).get(0);
        notifyOnEveryNode("E$");
        try (Subscriber events = new Subscriber(follower, "__keyevent@0__:set");
                Jedis f = follower.jedis();
                Jedis l = leader.jedis()) {
            warmUp(l, events);
            assertThat(f.set("k", "v")).isEqualTo("OK");
            assertThat(events.next()).isEqualTo("__keyevent@0__:set=k");
            assertThat(events.got.poll(300, TimeUnit.MILLISECONDS)).as("once").isNull();
        }
    }
}
