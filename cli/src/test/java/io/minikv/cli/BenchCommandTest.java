package io.minikv.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code minikv bench} against a small scripted /blobs server. */
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
    }

    @Test
    void grpcIsNotAvailableYet() {
        MainTest.Result result = run("bench", "--url", url, "--protocol", "grpc");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(new String(result.err().getBytes(UTF_8), UTF_8)).contains("not available");
    }
}
