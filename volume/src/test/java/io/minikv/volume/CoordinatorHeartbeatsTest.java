package io.minikv.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A replica volume's heartbeats, sent by a real volume server to fake coordinators on loopback. */
class CoordinatorHeartbeatsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private VolumeServer startReplica(List<URI> coordinators) throws IOException {
        return VolumeServer.start(VolumeConfig.standalone("v7", HostPort.parse("127.0.0.1:0"), dir)
                .withGrpc(HostPort.parse("127.0.0.1:0"))
                .withCoordinators(coordinators));
    }

    @Test
    void everyCoordinatorGetsHeartbeatsWithTheVolumesIdAndBoundAddresses() throws IOException {
        try (FakeCoordinator first = FakeCoordinator.answering();
                FakeCoordinator second = FakeCoordinator.answering();
                VolumeServer volume = startReplica(List.of(first.url(), second.url()))) {
            await().atMost(PATIENCE)
                    .until(() ->
                            first.received().size() >= 2 && second.received().size() >= 2);
            for (FakeCoordinator coordinator : List.of(first, second)) {
                FakeCoordinator.Received heartbeat = coordinator.received().getFirst();
                assertThat(heartbeat.method()).isEqualTo("POST");
                assertThat(heartbeat.contentType()).isEqualTo("application/json");
                assertThat(heartbeat.body().get("volume_id").asText()).isEqualTo("v7");
                assertThat(heartbeat.body().get("http_address").asText())
                        .isEqualTo("127.0.0.1:" + volume.httpAddress().port());
                assertThat(heartbeat.body().get("grpc_address").asText())
                        .isEqualTo("127.0.0.1:" + volume.grpcAddress().port());
            }
        }
    }

    @Test
    void heartbeatsGoOnWhenOtherCoordinatorsRefuseOrNeverAnswer() throws IOException {
        try (FakeCoordinator silent = FakeCoordinator.silent();
                FakeCoordinator answering = FakeCoordinator.answering();
                VolumeServer volume = startReplica(List.of(closedPort(), silent.url(), answering.url()))) {
            assertThat(volume.config().replica()).isTrue();
            await().atMost(PATIENCE).until(() -> answering.received().size() >= 4);
            assertThat(silent.received()).isNotEmpty();
        }
    }

    @Test
    void heartbeatsStopWhenTheVolumeStops() throws IOException {
        try (FakeCoordinator coordinator = FakeCoordinator.answering()) {
            VolumeServer volume = startReplica(List.of(coordinator.url()));
            await().atMost(PATIENCE).until(() -> !coordinator.received().isEmpty());
            volume.stop();
            int sent = coordinator.received().size();
            await().during(CoordinatorHeartbeats.INTERVAL.multipliedBy(3))
                    .atMost(CoordinatorHeartbeats.INTERVAL.multipliedBy(5))
                    .until(() -> coordinator.received().size() == sent);
        }
    }

    /** The URL of a port nothing listens on: a coordinator that is down. */
    private static URI closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }
}
