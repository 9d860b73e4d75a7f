package io.minikv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dev cluster of volumes only, each a real {@code minikv volume serve} process whose coordinators
 * are not running: starting, readiness, a node that fails or dies, stopping.
 */
class DevClusterTest {
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();
    private DevCluster cluster;
    private List<DevNode> volumes;

    @BeforeEach
    void plan() throws IOException {
        volumes = new DevLayout(dir, 1, 2, 1, FreeBasePort.find(1, 2))
                .nodes().stream()
                        .filter(node -> node.role() == DevNode.Role.VOLUME)
                        .toList();
        cluster = new DevCluster(MinikvJvm.current(), new PrintWriter(err, true));
    }

    @AfterEach
    void stop() {
        cluster.stop();
    }

    @Test
    void everyNodeServesWhenReadyAndNoneAfterStop() throws Exception {
        cluster.start(volumes);
        cluster.awaitReady(volumes, READY_TIMEOUT);
        try (HealthProbe probe = new HealthProbe()) {
            for (DevNode volume : volumes) {
                assertThat(probe.check(volume.httpUrl()).serving()).isTrue();
            }
            cluster.stop();
            for (DevNode volume : volumes) {
                assertThat(probe.check(volume.httpUrl()).serving()).isFalse();
            }
        }
        assertThat(err.toString()).as("stopping is not dying").isEmpty();
    }

    @Test
    void aNodeThatExitsBeforeItServesFailsTheStartNamingItsLog() throws Exception {
        DevNode second = volumes.get(1);
        try (ServerSocket taken = new ServerSocket(second.httpPort(), 1, InetAddress.getLoopbackAddress())) {
            cluster.start(volumes);
            assertThatThrownBy(() -> cluster.awaitReady(volumes, READY_TIMEOUT))
                    .isInstanceOf(IOException.class)
                    .hasMessage("v1 exited with status 1 before the cluster was ready; see " + second.log());
        }
    }

    @Test
    void aNodeThatDiesWhileRunningIsReportedAndTheOthersKeepServing() throws Exception {
        List<NodeProcess> processes = cluster.start(volumes);
        assertThat(processes).extracting(NodeProcess::id).containsExactly("v0", "v1");
        cluster.awaitReady(volumes, READY_TIMEOUT);
        ProcessHandle.of(processes.get(1).pid()).orElseThrow().destroyForcibly();
        await().atMost(READY_TIMEOUT).until(() -> !err.toString().isEmpty());
        assertThat(err.toString().lines())
                .containsExactly("minikv dev: v1 exited with status 137; the other nodes keep running; see "
                        + volumes.get(1).log());
        try (HealthProbe probe = new HealthProbe()) {
            assertThat(probe.check(volumes.getFirst().httpUrl()).serving()).isTrue();
        }
    }
}
