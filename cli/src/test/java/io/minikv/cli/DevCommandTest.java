package io.minikv.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code minikv dev}: its usage errors in-process, and a whole cluster run as a user runs it. */
class DevCommandTest {
    /** Seven JVMs starting on two cores, then a Raft election. */
    private static final Duration PATIENCE = Duration.ofMinutes(6);
    /** Lines of each node's log shown when a cluster does not get ready. */
    private static final int LOG_TAIL = 40;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            --volumes 2 --replicas 3 | --replicas 3 needs at least as many volumes, got --volumes 2
            --coordinators 0         | --coordinators, --volumes and --replicas must be at least 1
            --base-port 65000        | --base-port 65000 with 3 volumes puts ports outside 1..65535
            --volumes many           | Invalid value for option '--volumes'
            """)
    void badOptionsAreUsageErrorsOnOneLine(String options, String message) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(List.of("dev", "--data", dir.toString()));
        args.addAll(List.of(options.split(" +")));
        int exitCode = Main.execute(
                args.toArray(String[]::new),
                new StandardInput(new ByteArrayInputStream(new byte[0]), false),
                OutputStream.nullOutputStream(),
                new PrintWriter(out, true),
                new PrintWriter(err, true));
        assertThat(exitCode).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().lines())
                .singleElement()
                .asString()
                .startsWith("minikv dev: ")
                .contains(message);
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void aClusterServesStopsEveryNodeOnSigtermAndKeepsItsDataForTheNextRun() throws Exception {
        Path data = dir.resolve("cluster");
        int basePort = FreeBasePort.find(3, 3);
        URI coordinator = URI.create("http://127.0.0.1:" + basePort);
        HttpClient http = HttpClient.newHttpClient();

        try (DevProcess first = DevProcess.start(data, basePort)) {
            first.awaitReady();
            assertThat(first.out())
                    .contains("  v2    ")
                    .contains("127.0.0.1:" + (basePort + 1020), "127.0.0.1:" + (basePort + 22))
                    .contains("curl -X PUT --data-binary 'hello' " + coordinator + "/blobs/hello");
            HttpResponse<String> put = http.send(
                    HttpRequest.newBuilder(coordinator.resolve("/blobs/hello"))
                            .PUT(HttpRequest.BodyPublishers.ofString("hello"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).as(put.body()).isEqualTo(201);
            assertThat(get(http, coordinator)).isEqualTo("hello");

            List<ProcessHandle> nodes = first.nodes();
            assertThat(nodes).hasSize(6);
            first.sigterm();
            assertThat(nodes).noneMatch(ProcessHandle::isAlive);
        }

        try (DevProcess second = DevProcess.start(data, basePort)) {
            second.awaitReady();
            assertThat(get(http, coordinator)).isEqualTo("hello");
        }
        assertThat(Files.readString(data.resolve("logs/v0.log")).lines().filter(line -> line.contains("starting v0: ")))
                .as("each run appends to the node's log")
                .hasSize(2);
    }

    private static String get(HttpClient http, URI coordinator) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(coordinator.resolve("/blobs/hello")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    /** {@code minikv dev} in a JVM of its own, its output collected line by line. */
    private static final class DevProcess implements AutoCloseable {
        private final Process process;
        private final Path data;
        private final List<String> out = new CopyOnWriteArrayList<>();
        private final List<String> err = new CopyOnWriteArrayList<>();

        private DevProcess(Process process, Path data) {
            this.process = process;
            this.data = data;
            Thread.ofVirtual().start(() -> collect(process.getInputStream(), out));
            Thread.ofVirtual().start(() -> collect(process.getErrorStream(), err));
        }

        static DevProcess start(Path data, int basePort) throws IOException {
            List<String> command = MinikvJvm.current()
                    .command(List.of("dev", "--data", data.toString(), "--base-port", Integer.toString(basePort)));
            return new DevProcess(new ProcessBuilder(command).start(), data);
        }

        void awaitReady() {
            try {
                await().atMost(PATIENCE).until(() -> out.contains("cluster ready") || !process.isAlive());
            } catch (ConditionTimeoutException e) {
                // Reported below, with what the nodes logged.
            }
            if (!out.contains("cluster ready")) {
                throw new AssertionError("not ready: stdout %s%nstderr %s%n%s".formatted(out, err, logTails()));
            }
        }

        /** The last lines of every node's log: what a cluster that never got ready was doing. */
        private String logTails() {
            StringBuilder tails = new StringBuilder();
            try (var logs = Files.list(data.resolve("logs"))) {
                for (Path log : logs.sorted().toList()) {
                    List<String> lines = Files.readAllLines(log, UTF_8);
                    tails.append("--- ").append(log.getFileName()).append(", its last lines:\n");
                    lines.subList(Math.max(0, lines.size() - LOG_TAIL), lines.size())
                            .forEach(line -> tails.append(line).append('\n'));
                }
            } catch (IOException e) {
                tails.append("(the logs could not be read: ").append(e).append(")\n");
            }
            return tails.toString();
        }

        String out() {
            return String.join("\n", out);
        }

        List<ProcessHandle> nodes() {
            return process.descendants().toList();
        }

        /** SIGTERM, as Ctrl-C or a service manager would stop it; returns once it has exited. */
        void sigterm() throws InterruptedException {
            // Through the handle: Process.destroy() would also close the pipes being read.
            process.toHandle().destroy();
            assertThat(process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                sigterm();
            }
        }

        private static void collect(InputStream stream, List<String> lines) {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, UTF_8))) {
                reader.lines().forEach(lines::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
