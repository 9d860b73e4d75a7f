package io.minikv.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.minikv.coordinator.CoordinatorConfig;
import io.minikv.coordinator.CoordinatorServer;
import io.minikv.volume.HostPort;
import io.minikv.volume.VolumeConfig;
import io.minikv.volume.VolumeServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code minikv bench} against a small scripted /blobs server, and over gRPC against a real coordinator and volume. */
class BenchCommandTest {
    private HttpServer server;
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final AtomicInteger puts = new AtomicInteger();
    private final AtomicInteger gets = new AtomicInteger();
    private String url;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/blobs/", exchange -> {
            String key = exchange.getRequestURI().getPath().substring("/blobs/".length());
            switch (exchange.getRequestMethod()) {
                case "PUT" -> {
                    blobs.put(key, exchange.getRequestBody().readAllBytes());
                    puts.incrementAndGet();
                    exchange.sendResponseHeaders(201, -1);
                }
                case "GET" -> {
                    byte[] value = blobs.get(key);
                    gets.incrementAndGet();
                    if (value == null) {
                        exchange.sendResponseHeaders(404, -1);
                    } else {
                        exchange.sendResponseHeaders(200, value.length);
                        exchange.getResponseBody().write(value);
                    }
                }
                default -> exchange.sendResponseHeaders(405, -1);
            }
            exchange.close();
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static MainTest.Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(
                args,
                new StandardInput(new ByteArrayInputStream(new byte[0]), false),
                OutputStream.nullOutputStream(),
                new PrintWriter(out, true),
                new PrintWriter(err, true));
        return new MainTest.Result(code, out.toString(), err.toString());
    }

    @Test
    void mixedWorkloadPreloadsThenReportsThroughputAndPercentilesAsJson() throws Exception {
        MainTest.Result result = run(
                "bench",
                "--url",
                url,
                "--workload",
                "mixed",
                "--read-ratio",
                "0.5",
                "--clients",
                "2",
                "--keys",
                "20",
                "--value-size",
                "1KiB",
                "--warmup",
                "1ms",
                "--duration",
                "1s",
                "--format",
                "json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(json.get("operations").asLong()).isPositive();
        assertThat(json.get("errors").asLong()).isZero();
        assertThat(json.get("p50_us").asLong()).isPositive();
        assertThat(json.get("p99_us").asLong())
                .isGreaterThanOrEqualTo(json.get("p50_us").asLong());
        assertThat(blobs).hasSize(20).allSatisfy((k, v) -> assertThat(v).hasSize(1024));
        assertThat(gets.get()).isPositive();
        assertThat(puts.get()).isGreaterThan(20);
    }

    @Test
    void tableOutputNamesTheFigures() {
        MainTest.Result result = run(
                "bench", "--url", url, "--clients", "1", "--warmup", "1ms", "--duration", "1s", "--value-size", "100");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("ops/s", "p50", "p95", "p99", "errors");
    }

    @Test
    void unreachableServerFailsWithOneLine() throws Exception {
        server.stop(0);
        MainTest.Result result =
                run("bench", "--url", url, "--clients", "1", "--warmup", "1ms", "--duration", "1s", "--timeout", "1s");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err().lines()).singleElement().asString().contains("no operation succeeded");
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertThat(run("bench", "--url", url, "--clients", "0").exitCode()).isEqualTo(2);
        assertThat(run("bench", "--value-size", "lots").exitCode()).isEqualTo(2);
        assertThat(run("bench", "--url", url, "--protocol", "grpc").exitCode()).isEqualTo(2);
    }

    @Test
    void grpcLoadsTheCoordinatorsThroughTheJavaClient(@TempDir Path dir) throws Exception {
        DevNode node =
                new DevLayout(dir, 1, 1, 1, FreeBasePort.find(1, 1)).nodes().getFirst();
        HostPort raft = new HostPort(DevNode.HOST, node.raftPort().orElseThrow());
        CoordinatorConfig coordinatorConfig = CoordinatorConfig.of(
                        "c0",
                        new HostPort(DevNode.HOST, node.httpPort()),
                        new HostPort(DevNode.HOST, node.grpcPort()),
                        raft,
                        dir.resolve("c0"),
                        Map.of("c0", raft))
                .withReplicas(1);
        VolumeConfig volumeConfig = VolumeConfig.standalone("v0", HostPort.parse("127.0.0.1:0"), dir.resolve("v0"))
                .withGrpc(HostPort.parse("127.0.0.1:0"))
                .withCoordinators(List.of(node.httpUrl()));
        try (CoordinatorServer coordinator = CoordinatorServer.start(coordinatorConfig);
                VolumeServer volume = VolumeServer.start(volumeConfig);
                HttpClient http = HttpClient.newHttpClient()) {
            HttpRequest health =
                    HttpRequest.newBuilder(node.httpUrl().resolve("/health")).build();
            await().atMost(Duration.ofMinutes(1))
                    .until(() -> http.send(health, HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200);

            MainTest.Result result = run(
                    "bench",
                    "--coordinator",
                    node.httpUrl().toString(),
                    "--protocol",
                    "grpc",
                    "--workload",
                    "mixed",
                    "--read-ratio",
                    "0.5",
                    "--clients",
                    "2",
                    "--keys",
                    "10",
                    "--warmup",
                    "1ms",
                    "--duration",
                    "1s",
                    "--format",
                    "json");

            assertThat(result.exitCode()).as(result.err()).isZero();
            JsonNode json = new ObjectMapper().readTree(result.out());
            assertThat(json.get("protocol").asText()).isEqualTo("grpc");
            assertThat(json.get("url").asText())
                    .isEqualTo(coordinator.grpcAddress().toString());
            assertThat(json.get("operations").asLong()).isPositive();
            assertThat(json.get("errors").asLong()).isZero();
            String keys = http.send(
                            HttpRequest.newBuilder(node.httpUrl().resolve("/blobs?prefix=bench/"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(new ObjectMapper().readTree(keys)).hasSize(10);
        }
    }
}
