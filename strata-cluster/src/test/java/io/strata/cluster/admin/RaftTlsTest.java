package io.strata.cluster.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.cluster.ClusterNode;
import io.strata.cluster.Peers;
import io.strata.cluster.TestCluster;
import io.strata.cluster.TestCluster.Node;
import io.strata.server.RaftTlsFiles;
import io.strata.testkit.FreePorts;
import io.strata.testkit.TestCa;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.thirdparty.io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Raft traffic over mutual TLS: three nodes holding certificates of the cluster's CA replicate
 * writes, and the admin client with such a certificate sees and changes the group; an admin client
 * without TLS or with another CA's certificate reaches no node and cannot send an entry; a node
 * with another CA's certificate, or without TLS, can neither join (the leader cannot replicate to
 * it, so the change fails) nor win a vote; the group's members, term and data do not change. A
 * node with the CA's certificate then joins.
 */
class RaftTlsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SHORT = Duration.ofSeconds(2);

    @TempDir
    static Path certs;

    @TempDir
    Path dir;

    static final Map<String, RaftTlsFiles> members = new HashMap<>();
    static RaftTlsFiles admin;
    static RaftTlsFiles stranger;
    /** The cluster's CA certificate: no secret, an intruder may trust it too. */
    static Path clusterCa;

    @BeforeAll
    static void makeCertificates() throws IOException {
        TestCa ca = TestCa.create(certs.resolve("cluster"), "cluster");
        TestCa other = TestCa.create(certs.resolve("other"), "other");
        for (String id : List.of("n1", "n2", "n3", "n6", "admin")) {
            TestCa.Issued issued = ca.issue(id);
            members.put(id, new RaftTlsFiles(issued.cert(), issued.key(), ca.cert()));
        }
        admin = members.get("admin");
        clusterCa = ca.cert();
        TestCa.Issued s = other.issue("stranger");
        stranger = new RaftTlsFiles(s.cert(), s.key(), other.cert());
    }

    @Test
    @Timeout(value = 170, unit = TimeUnit.SECONDS)
    void onlyHoldersOfTheClustersCertificatesTakePart() throws Exception {
        try (TestCluster cluster = new TestCluster(dir)) {
            List<Node> group = cluster.startGroup(3, members::get);
            String peers = group.stream().map(Node::spec).collect(Collectors.joining(","));
            TestCluster.await(
                    "a leader elected",
                    () -> GroupSurvey.take(peers, TIMEOUT, admin).leader().isPresent());

            // Writes through every node, forwarded by the followers, replicate to all.
            for (Node n : group) {
                try (Jedis j = n.jedis()) {
                    assertThat(j.set("k-" + n.id(), n.id())).isEqualTo("OK");
                }
            }
            Map<String, String> data = Map.of("k-n1", "n1", "k-n2", "n2", "k-n3", "n3");
            for (Node n : group) {
                assertThat(contents(n)).as(n.id()).isEqualTo(data);
                assertThat(n.clusterInfo()).containsEntry("raft_tls", "mutual");
                try (Jedis j = n.jedis()) {
                    assertThat(j.info("replication")).contains("raft_tls:mutual");
                }
            }
            NodeReport before = GroupSurvey.take(peers, TIMEOUT, admin).requireLeader();

            // Admin clients without TLS, or with another CA's certificate, reach no node, and cannot
            // send an entry.
            for (RaftTlsFiles tls : Arrays.asList(null, stranger)) {
                GroupSurvey survey = GroupSurvey.take(peers, SHORT, tls);
                assertThat(survey.nodes()).as(String.valueOf(tls)).noneMatch(NodeReport::reachable);
                try (RaftClient client = AdminClients.of(Peers.parse(peers), null, SHORT, 1, tls)) {
                    assertThatThrownBy(() -> client.io().send(Message.valueOf("SET x 1")))
                            .isInstanceOf(IOException.class);
                }
            }

            // Clients that trust the cluster's CA but show another CA's certificate, or none: the
            // nodes ask for one and refuse them (the check that mutual authentication adds).
            for (GrpcTlsConfig intruder : List.of(
                    new GrpcTlsConfig(
                            stranger.keyFile().toFile(), stranger.certFile().toFile(), clusterCa.toFile(), true),
                    new GrpcTlsConfig((File) null, null, clusterCa.toFile(), false))) {
                Parameters p = new Parameters();
                GrpcConfigKeys.TLS.setConf(p, intruder);
                try (RaftClient client = RaftClient.newBuilder()
                        .setProperties(new RaftProperties())
                        .setParameters(p)
                        .setRaftGroup(RaftGroup.valueOf(ClusterNode.GROUP_ID, Peers.parse(peers)))
                        .setRetryPolicy(RetryPolicies.noRetry())
                        .build()) {
                    assertThatThrownBy(() -> client.io().send(Message.valueOf("SET x 1")))
                            .isInstanceOf(IOException.class);
                    // gRPC's own failure, unchecked: UNAVAILABLE: ssl exception.
                    assertThatThrownBy(() -> client.getGroupManagementApi(RaftPeerId.valueOf("n1"))
                                    .info(ClusterNode.GROUP_ID))
                            .isInstanceOfAny(IOException.class, StatusRuntimeException.class);
                }
            }

            // A node with another CA's certificate, and one without TLS, each started as a member of
            // a group that holds it (so it campaigns, and asks the members for votes).
            List<Node> intruders = new ArrayList<>();
            for (String id : List.of("n4", "n5")) {
                int raftPort = FreePorts.next();
                String withIt = peers + "," + id + "=127.0.0.1:" + raftPort;
                intruders.add(cluster.start(id, raftPort, withIt, false, 0, id.equals("n4") ? stranger : null));
            }
            for (Node intruder : intruders) {
                // The admin command cannot reach it; asked to add it anyway, the leader cannot
                // replicate to it, and after Ratis's staging timeout the change fails.
                assertThatThrownBy(() -> MembershipChange.add(peers, intruder.spec(), SHORT, admin))
                        .isInstanceOf(AdminException.class)
                        .hasMessageContaining("cannot reach " + intruder.id());
                assertThat(setConfigurationWith(before, intruder))
                        .as(intruder.id())
                        .contains("ReconfigurationTimeoutException");
            }
            // Long enough for each intruder to time out several elections.
            Thread.sleep(5_000);
            NodeReport after = GroupSurvey.take(peers, TIMEOUT, admin).requireLeader();
            assertThat(after.id()).isEqualTo(before.id());
            assertThat(after.term()).isEqualTo(before.term());
            assertThat(after.configuration()).containsExactlyInAnyOrderElementsOf(before.configuration());
            for (Node n : group) {
                assertThat(contents(n)).as(n.id()).isEqualTo(data);
            }
            for (Node intruder : intruders) {
                assertThat(intruder.clusterInfo()).containsEntry("leader_id", "");
                cluster.stop(intruder);
            }

            // A node with the cluster's certificate joins, and holds the data.
            int raftPort = FreePorts.next();
            Node n6 = cluster.start("n6", raftPort, "n6=127.0.0.1:" + raftPort, true, 0, members.get("n6"));
            assertThat(MembershipChange.add(peers, n6.spec(), TIMEOUT, admin)).startsWith("added n6");
            TestCluster.await(
                    "n6 applied the data",
                    () -> Long.parseLong(n6.clusterInfo().get("applied_index")) >= after.commitIndex());
            assertThat(contents(n6)).isEqualTo(data);
        }
    }

    /**
     * Asks the leader directly (as add-node would, past its reachability check) to add {@code node};
     * returns why it failed, or "changed" if it did not.
     */
    private static String setConfigurationWith(NodeReport leader, Node node) {
        List<RaftPeer> current = leader.configuration();
        List<RaftPeer> next = new ArrayList<>(current);
        next.add(MembershipChange.single(node.spec()));
        SetConfigurationRequest.Arguments change = SetConfigurationRequest.Arguments.newBuilder()
                .setServersInCurrentConf(current)
                .setServersInNewConf(next)
                .setMode(SetConfigurationRequest.Mode.COMPARE_AND_SET)
                .build();
        try (RaftClient client = AdminClients.of(next, leader.peer().getId(), Duration.ofSeconds(30), 1, admin)) {
            RaftClientReply reply = client.admin().setConfiguration(change);
            return reply.isSuccess() ? "changed" : GroupSurvey.describe(reply.getException());
        } catch (IOException e) {
            return GroupSurvey.describe(e);
        }
    }

    /** Every key and value on the node, read over its RESP port. */
    private static Map<String, String> contents(Node n) {
        Map<String, String> m = new HashMap<>();
        try (Jedis j = n.jedis()) {
            for (String key : j.keys("*")) {
                m.put(key, j.get(key));
            }
        }
        return m;
    }
}
