package io.strata.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.strata.server.acl.Acl;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** Protected mode: the rule on peer addresses, and what a refused client sees and cannot do. */
class ProtectedModeTest {
    @TempDir
    Path dir;

    private static SocketAddress peer(String ip) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), 50_000);
    }

    /** The users of a server started with this requirepass (null for none). */
    private static Acl acl(String requirePass) {
        return new Acl(CommandTable.standard().catalog(), requirePass, null, System::currentTimeMillis);
    }

    @Test
    void ruleRefusesNonLoopbackPeersOnlyWithoutAPassword() throws Exception {
        for (String local : new String[] {"127.0.0.1", "127.255.3.4", "::1", "::ffff:127.0.0.1"}) {
            assertThat(ProtectedMode.refuses(true, acl(null), peer(local)))
                    .as(local)
                    .isFalse();
        }
        for (String remote : new String[] {"192.0.2.7", "10.0.0.1", "128.0.0.1", "::2", "fe80::1", "::ffff:10.0.0.1"}) {
            assertThat(ProtectedMode.refuses(true, acl(null), peer(remote)))
                    .as(remote)
                    .isTrue();
            assertThat(ProtectedMode.refuses(true, acl(""), peer(remote)))
                    .as(remote + ", empty password")
                    .isTrue();
            assertThat(ProtectedMode.refuses(true, acl("secret"), peer(remote)))
                    .as(remote + ", password")
                    .isFalse();
            assertThat(ProtectedMode.refuses(false, acl(null), peer(remote)))
                    .as(remote + ", off")
                    .isFalse();
        }
        // not an IP socket (in-process), local as a Unix socket is in Redis
        assertThat(ProtectedMode.refuses(true, acl(null), new io.netty.channel.local.LocalAddress("x")))
                .isFalse();
    }

    /** ACL users count: any user that is on and takes any password opens the server to whoever reaches it. */
    @Test
    void ruleLooksAtEveryUserNotOnlyRequirepass() throws Exception {
        SocketAddress remote = peer("192.0.2.7");
        Acl acl = acl(null);
        acl.setUser("default", java.util.List.of(">pw"));
        assertThat(ProtectedMode.refuses(true, acl, remote))
                .as("default has a password now")
                .isFalse();
        acl.setUser("alice", java.util.List.of("on", "nopass"));
        assertThat(ProtectedMode.refuses(true, acl, remote))
                .as("alice takes any password")
                .isTrue();
        acl.setUser("alice", java.util.List.of("off"));
        assertThat(ProtectedMode.refuses(true, acl, remote)).as("alice is off").isFalse();
        acl.setUser("default", java.util.List.of("nopass", "off"));
        assertThat(ProtectedMode.refuses(true, acl, remote))
                .as("nobody without a password")
                .isFalse();
        assertThat(ProtectedMode.describe(true, acl)).isEqualTo("on (inactive while every user needs a password)");
        acl.requirePass("");
        assertThat(ProtectedMode.refuses(true, acl, remote))
                .as("nopass, but still off")
                .isFalse();
        acl.setUser("default", java.util.List.of("on"));
        assertThat(ProtectedMode.refuses(true, acl, remote)).isTrue();
    }

    /** An IPv4 address of one of this machine's interfaces other than loopback, if it has one. */
    static Optional<InetAddress> nonLoopbackAddress() throws Exception {
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nif.isUp() || nif.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }

    @Test
    void serverOnAllInterfacesRefusesAClientThroughTheMachinesOwnAddress() throws Exception {
        Optional<InetAddress> own = nonLoopbackAddress();
        if (own.isEmpty()) {
            // No interface but loopback: the same rule, through the handler, with a non-loopback peer.
            handlerRefusesANonLoopbackPeer();
            return;
        }
        InetAddress address = own.get();
        System.out.println("protected mode end-to-end through " + address.getHostAddress());
        try (TestServer s = TestServer.start(dir, c -> c.bind("0.0.0.0"))) {
            try (TestServer.RawClient outside = new TestServer.RawClient(new Socket(address, s.port()))) {
                outside.command("SET", "k", "from outside");
                assertThat(outside.line() + "\r\n").isEqualTo(ProtectedMode.DENIED);
                assertThat(outside.closedByServer()).isTrue();
            }
            try (Jedis local = new Jedis("127.0.0.1", s.port())) {
                assertThat(local.get("k")).as("the refused client's SET").isNull();
                assertThat(local.info("stats")).contains("rejected_connections:1");
                // Redis's own way out, as its message says: CONFIG SET protected-mode no from loopback
                assertThat(local.configGet("protected-mode")).containsEntry("protected-mode", "yes");
                local.configSet("protected-mode", "no");
            }
            try (Jedis outside = new Jedis(address.getHostAddress(), s.port())) {
                assertThat(outside.set("k", "now served")).isEqualTo("OK");
            }
            try (Jedis local = new Jedis("127.0.0.1", s.port())) {
                local.configSet("protected-mode", "yes");
                local.configSet("requirepass", "secret");
            }
            try (TestServer.RawClient outside = new TestServer.RawClient(new Socket(address, s.port()))) {
                // with a password it does not apply: the client is asked to authenticate instead
                assertThat(outside.command("GET", "k").reply()).startsWith("-NOAUTH");
                assertThat(outside.command("AUTH", "secret").reply()).isEqualTo("+OK\r\n");
                assertThat(outside.command("GET", "k").reply()).isEqualTo("$10\r\nnow served\r\n");
            }
        }
    }

    @Test
    void handlerRefusesANonLoopbackPeer() throws Exception {
        SocketAddress remote = peer("192.0.2.7");
        try (CommandHarness h = CommandHarness.open(dir)) {
            EmbeddedChannel ch = new EmbeddedChannel(new ClientHandler(h.server, ImmediateEventExecutor.INSTANCE)) {
                @Override
                protected SocketAddress remoteAddress0() {
                    return remote;
                }
            };
            ByteBuf reply = ch.readOutbound();
            assertThat(reply.toString(StandardCharsets.US_ASCII)).isEqualTo(ProtectedMode.DENIED);
            reply.release();
            ch.runPendingTasks();
            assertThat(ch.isOpen()).isFalse();
            // bytes that arrived before the close reach the handler, which drops them
            ch.pipeline()
                    .fireChannelRead(Unpooled.copiedBuffer(
                            TestServer.RawClient.encode("SET", "k", "v"), StandardCharsets.UTF_8));
            assertThat(h.run("EXISTS", "k")).isEqualTo(":0\r\n");
            ch.finishAndReleaseAll();
        }
    }
}
