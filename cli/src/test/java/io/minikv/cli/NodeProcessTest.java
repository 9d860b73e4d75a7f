package io.minikv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real node processes: {@code minikv volume serve} in a JVM of its own, and a process deaf to SIGTERM. */
class NodeProcessTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private NodeProcess startVolume(int port, Path log) throws IOException {
        List<String> arguments = List.of(
                "volume",
                "serve",
                "--id",
                "v0",
                "--bind",
                "127.0.0.1:" + port,
                "--data",
                dir.resolve("v0").toString());
        return NodeProcess.start("v0", MinikvJvm.current().command(arguments), log);
    }

    @Test
    void aVolumeServesLogsToItsFileAndStopsOnSigterm() throws Exception {
        int port = freePort();
        Path log = dir.resolve("logs/v0.log");
        for (int run = 1; run <= 2; run++) {
            NodeProcess volume = startVolume(port, log);
            try (HealthProbe probe = new HealthProbe()) {
                URI url = URI.create("http://127.0.0.1:" + port);
                await().atMost(PATIENCE).until(() -> probe.check(url).serving() || !volume.isAlive());
                assertThat(probe.check(url).serving())
                        .as("serving; log:%n%s", Files.readString(log))
                        .isTrue();
            } finally {
                volume.terminate();
                volume.awaitExitOrKill(PATIENCE);
            }
            assertThat(volume.isAlive()).isFalse();
            assertThat(volume.exitValue()).as("exit status after SIGTERM").isEqualTo(143);
            assertThat(ProcessHandle.of(volume.pid()).filter(ProcessHandle::isAlive))
                    .isEmpty();
            String text = Files.readString(log);
            assertThat(text.lines().filter(line -> line.contains("starting v0: ")))
                    .as("one start line per run, appended")
                    .hasSize(run);
            assertThat(text).contains("volume v0 serving HTTP on 127.0.0.1:" + port, "volume v0 stopped");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void aProcessDeafToSigtermIsKilledAfterTheGracePeriod() throws Exception {
        Path log = dir.resolve("deaf.log");
        NodeProcess deaf =
                NodeProcess.start("deaf", List.of("bash", "-c", "trap '' TERM; echo deaf; exec sleep 600"), log);
        await().atMost(PATIENCE).until(() -> Files.readString(log).contains("\ndeaf"));
        deaf.terminate();
        deaf.awaitExitOrKill(Duration.ofMillis(200));
        assertThat(deaf.isAlive()).isFalse();
        assertThat(deaf.exitValue()).as("killed by SIGKILL").isEqualTo(137);
    }
}
