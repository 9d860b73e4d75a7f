package io.minikv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DevLayoutTest {
    private static final Path DIR = Path.of("/tmp/dev");

    @Test
    void theDefaultLayoutIsTheDocumentedOne() {
        List<DevNode> nodes = new DevLayout(DIR, 3, 3, 3, 5000).nodes();
        assertThat(nodes).extracting(DevNode::id).containsExactly("c0", "c1", "c2", "v0", "v1", "v2");
        DevNode c1 = nodes.get(1);
        assertThat(c1.role()).isEqualTo(DevNode.Role.COORDINATOR);
        assertThat(c1.httpPort()).isEqualTo(5010);
        assertThat(c1.grpcPort()).isEqualTo(5011);
        assertThat(c1.raftPort()).isEqualTo(OptionalInt.of(5012));
        assertThat(c1.log()).isEqualTo(Path.of("/tmp/dev/logs/c1.log"));
        assertThat(c1.arguments())
                .containsExactly(
                        "coord",
                        "serve",
                        "--id",
                        "c1",
                        "--bind",
                        "127.0.0.1:5010",
                        "--grpc",
                        "127.0.0.1:5011",
                        "--raft",
                        "127.0.0.1:5012",
                        "--db",
                        "/tmp/dev/c1",
                        "--peers",
                        "c0=127.0.0.1:5002,c1=127.0.0.1:5012,c2=127.0.0.1:5022",
                        "--replicas",
                        "3");
        DevNode v2 = nodes.get(5);
        assertThat(v2.role()).isEqualTo(DevNode.Role.VOLUME);
        assertThat(v2.raftPort()).isEmpty();
        assertThat(v2.httpUrl()).hasToString("http://127.0.0.1:6020");
        assertThat(v2.log()).isEqualTo(Path.of("/tmp/dev/logs/v2.log"));
        assertThat(v2.arguments())
                .containsExactly(
                        "volume",
                        "serve",
                        "--id",
                        "v2",
                        "--bind",
                        "127.0.0.1:6020",
                        "--grpc",
                        "127.0.0.1:6021",
                        "--data",
                        "/tmp/dev/v2",
                        "--coordinators",
                        "http://127.0.0.1:5000,http://127.0.0.1:5010,http://127.0.0.1:5020");
    }

    @Test
    void theBasePortMovesEveryPort() {
        List<DevNode> nodes = new DevLayout(DIR, 1, 2, 2, 20000).nodes();
        assertThat(nodes).extracting(DevNode::httpPort).containsExactly(20000, 21000, 21010);
        assertThat(nodes.getFirst().arguments()).contains("c0=127.0.0.1:20002", "--replicas", "2");
    }

    @Test
    void aRelativeDataDirectoryIsMadeAbsolute() {
        DevLayout layout = new DevLayout(Path.of("minikv-data"), 1, 1, 1, 5000);
        assertThat(layout.dataDir()).isEqualTo(Path.of("minikv-data").toAbsolutePath());
        assertThat(layout.logDir()).isEqualTo(layout.dataDir().resolve("logs"));
    }

    @ParameterizedTest(name = "[{index}] {0} {1} {2} {4}")
    @CsvSource(delimiter = '|', textBlock = """
            0   | 3 | 3 | 5000  | must be at least 1
            3   | 0 | 1 | 5000  | must be at least 1
            3   | 3 | 0 | 5000  | must be at least 1
            3   | 2 | 3 | 5000  | --replicas 3 needs at least as many volumes, got --volumes 2
            101 | 3 | 3 | 5000  | --coordinators must be at most 100
            3   | 3 | 3 | 0     | --base-port 0 with 3 volumes puts ports outside 1..65535
            3   | 3 | 3 | 64515 | --base-port 64515 with 3 volumes puts ports outside 1..65535
            """)
    void refusesWhatCannotRun(int coordinators, int volumes, int replicas, int basePort, String message) {
        assertThatThrownBy(() -> new DevLayout(DIR, coordinators, volumes, replicas, basePort))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void theHighestPortMayBeTheLastOne() {
        assertThat(new DevLayout(DIR, 3, 3, 3, 64514).nodes().getLast().grpcPort())
                .isEqualTo(65535);
    }

    @ParameterizedTest
    @CsvSource(textBlock = """
            1, false
            2, true
            3, false
            4, true
            """)
    void anEvenNumberOfCoordinatorsIsOnlyAWarning(int coordinators, boolean warned) {
        assertThat(new DevLayout(DIR, coordinators, 3, 3, 5000).warning().isPresent())
                .isEqualTo(warned);
    }
}
