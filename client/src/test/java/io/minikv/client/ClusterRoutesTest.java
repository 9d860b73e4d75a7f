package io.minikv.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minikv.proto.MinikvException;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cluster and admin routes against a scripted coordinator: what is sent, and how answers are read. */
class ClusterRoutesTest {
    private static final String STATUS = """
            {"node_id":"c1","leader":"c2","term":7,"commit_index":40,"applied_index":39,
             "coordinators":[{"id":"c1","raft_address":"h:5002","http_address":"h:5000","grpc_address":"h:5001",
                              "role":"follower"}],
             "volumes":[{"id":"v1","http_address":"h:6000","grpc_address":"h:6001","state":"up"}],
             "shards":256,"replicas":3,"write_quorum":2,"keys":12}""";

    private ScriptedServer coordinator;
    private MinikvClient client;

    @BeforeEach
    void start() throws IOException {
        coordinator = new ScriptedServer();
        client = MinikvClient.builder().coordinators(List.of(coordinator.url())).build();
    }

    @AfterEach
    void stop() {
        client.close();
        coordinator.close();
    }

    @Test
    void statusIsRead() {
        coordinator.answering(ScriptedServer.json(200, STATUS));
        ClusterStatus status = client.status();
        assertThat(status.leader()).isEqualTo("c2");
        assertThat(status.term()).isEqualTo(7);
        assertThat(status.writeQuorum()).isEqualTo(2);
        assertThat(status.coordinators())
                .containsExactly(new CoordinatorInfo("c1", "h:5002", "h:5000", "h:5001", "follower"));
        assertThat(status.volumes()).containsExactly(new VolumeInfo("v1", "h:6000", "h:6001", "up"));
        assertThat(coordinator.requests().getFirst().target()).isEqualTo("/api/v1/cluster/status");
    }

    @Test
    void membershipChangesSendTheNode() {
        coordinator.answering(ScriptedServer.json(200, "{\"coordinators\":[{\"id\":\"c4\",\"role\":\"follower\"}]}"));
        assertThat(client.addNode("c4", "h:5032"))
                .extracting(CoordinatorInfo::id)
                .containsExactly("c4");
        client.removeNode("c4");
        assertThat(coordinator.requests())
                .extracting(
                        ScriptedServer.Request::method, ScriptedServer.Request::target, ScriptedServer.Request::body)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "POST", "/api/v1/cluster/nodes", "{\"node_id\":\"c4\",\"address\":\"h:5032\"}"),
                        org.assertj.core.groups.Tuple.tuple("DELETE", "/api/v1/cluster/nodes/c4", ""));
    }

    @Test
    void adminCallsPostTheirParameters() {
        coordinator.answering(ScriptedServer.json(200, "{\"ok\":true}"));
        assertThat(client.verify(true).get("ok").asBoolean()).isTrue();
        client.repair(2, true);
        client.repair(null, false);
        client.rebalance();
        client.compact(3);
        client.compact(null);
        assertThat(coordinator.requests())
                .extracting(ScriptedServer.Request::method)
                .containsOnly("POST");
        assertThat(coordinator.requests())
                .extracting(ScriptedServer.Request::target)
                .containsExactly(
                        "/api/v1/admin/verify?deep=true",
                        "/api/v1/admin/repair?dry_run=true&replicas=2",
                        "/api/v1/admin/repair?dry_run=false",
                        "/api/v1/admin/rebalance",
                        "/api/v1/admin/compact?shard=3",
                        "/api/v1/admin/compact");
    }

    @Test
    void unhealthyCoordinatorIsUnavailable() {
        coordinator.answering(
                ScriptedServer.json(503, "{\"status\":\"unavailable\",\"role\":\"follower\",\"error\":\"no leader\"}"));
        assertThatThrownBy(client::health)
                .isInstanceOf(MinikvException.Unavailable.class)
                .hasMessage("no leader");
    }

    @Test
    void healthyCoordinatorDescribesItself() {
        coordinator.answering(ScriptedServer.json(
                200, "{\"status\":\"healthy\",\"role\":\"leader\",\"node_id\":\"c1\",\"leader\":\"c1\"}"));
        assertThat(client.health()).isEqualTo(new Health("healthy", "leader", "c1", "c1"));
    }

    @Test
    void answersOutsideTheProtocolAreUnexpected() {
        coordinator.answering(ScriptedServer.json(500, "{\"error\":\"internal server error\"}"));
        assertThatThrownBy(client::rebalance)
                .isInstanceOf(UnexpectedResponseException.class)
                .hasMessageEndingWith("answered HTTP 500: internal server error");
        coordinator.answering(ScriptedServer.json(200, "not json"));
        assertThatThrownBy(client::status)
                .isInstanceOf(UnexpectedResponseException.class)
                .hasMessageContaining("does not parse");
    }

    @Test
    void leaderTimeoutIsTimeout() {
        coordinator.answering(ScriptedServer.json(504, "{\"error\":\"the leader did not answer in time\"}"));
        assertThatThrownBy(() -> client.put("k", new byte[1]))
                .isInstanceOf(MinikvException.Timeout.class)
                .hasMessage("the leader did not answer in time");
    }
}
