package io.minikv.volume;

import static io.minikv.volume.HttpTestClient.json;
import static io.minikv.volume.HttpTestClient.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The volume's public HTTP contract (DESIGN.md §4), over a real socket. */
class VolumeHttpContractTest {
    private static final long LIMIT = 256 * 1024;
    /** Over the 32 KiB a blob keeps inline: stored, and read back, as a record of its own. */
    private static final int LARGE = 100 * 1024;

    @TempDir
    Path dir;

    private VolumeServer server;
    private HttpTestClient client;

    @BeforeEach
    void start() throws IOException {
        startWith(config());
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private VolumeConfig config() {
        return VolumeConfig.standalone("v1", HostPort.parse("127.0.0.1:0"), dir).withMaxBlobSize(LIMIT);
    }

    private void startWith(VolumeConfig config) throws IOException {
        if (server != null) {
            server.stop();
        }
        server = VolumeServer.start(config);
        client = new HttpTestClient(server.httpAddress());
    }

    @Test
    void putAnswers201WithTheBlobsDescription() {
        byte[] body = bytes(1000, 1);
        HttpResponse<byte[]> response = client.put("a/b c", body);
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode created = json(response);
        assertThat(created.get("key").asText()).isEqualTo("a/b c");
        assertThat(created.get("etag").asText()).isEqualTo(md5(body));
        assertThat(created.get("size").asLong()).isEqualTo(1000);
        assertThat(created.get("version").asLong()).isEqualTo(1);
        assertThat(created.get("volume_id").asText()).isEqualTo("v1");
        assertThat(response.headers().firstValue("ETag")).hasValue("\"" + md5(body) + "\"");
        assertThat(json(client.put("a/b c", body)).get("version").asLong()).isEqualTo(2);
    }

    @Test
    void postStoresLikePut() {
        HttpResponse<byte[]> response =
                client.send(client.request("/blobs/p").POST(HttpRequest.BodyPublishers.ofString("posted")));
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(text(client.get("p"))).isEqualTo("posted");
    }

    @ParameterizedTest(name = "[{index}] {0} bytes")
    @ValueSource(ints = {0, 1, 1000, LARGE})
    void getReturnsTheBytesWithTheirHeaders(int size) {
        byte[] body = bytes(size, size);
        client.put("k", body, "Content-Type", "image/png");
        HttpResponse<byte[]> response = client.get("k");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(body);
        assertThat(response.headers().firstValue("ETag")).hasValue("\"" + md5(body) + "\"");
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(size);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(response.headers().firstValue("Accept-Ranges")).hasValue("bytes");
        assertThat(response.headers().firstValue("Last-Modified"))
                .get()
                .asString()
                .endsWith(" GMT");
    }

    @Test
    void contentTypeDefaultsToOctetStream() {
        HttpResponse<byte[]> response =
                client.send(client.request("/blobs/k").PUT(HttpRequest.BodyPublishers.ofByteArray(bytes(10, 1))));
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(client.get("k").headers().firstValue("Content-Type")).hasValue("application/octet-stream");
    }

    @Test
    void keysArePercentDecodedUtf8AndMayHoldSlashes() {
        client.put("dir/sub/été €", "x".getBytes(StandardCharsets.UTF_8));
        assertThat(text(client.send(client.request("/blobs/dir/sub/%C3%A9t%C3%A9%20%E2%82%AC"))))
                .isEqualTo("x");
        assertThat(text(client.send(client.request("/blobs/dir%2Fsub%2F%C3%A9t%C3%A9%20%E2%82%AC"))))
                .isEqualTo("x");
        assertThat(json(client.send(client.request("/blobs?prefix=dir/")))
                        .get(0)
                        .asText())
                .isEqualTo("dir/sub/été €");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/blobs/", "/blobs/%00", "/blobs/a%0Ab", "/blobs/%FF%FE", "/blobs/%C3"})
    void invalidKeysAre400(String path) {
        for (String method : List.of("GET", "PUT", "DELETE")) {
            HttpResponse<byte[]> response =
                    client.send(client.request(path).method(method, HttpRequest.BodyPublishers.ofString("x")));
            assertError(response, 400);
        }
    }

    @Test
    void keysOver1024BytesAre400() {
        assertError(client.put("k".repeat(1025), new byte[1]), 400);
        assertThat(client.put("k".repeat(1024), new byte[1]).statusCode()).isEqualTo(201);
        assertError(client.put("é".repeat(513), new byte[1]), 400);
    }

    @Test
    void missingBlobIs404BlobNotFound() {
        HttpResponse<byte[]> response = client.get("nope");
        assertError(response, 404);
        assertThat(json(response).get("error").asText()).isEqualTo("Blob not found");
        HttpResponse<byte[]> head = client.head("nope");
        assertThat(head.statusCode()).isEqualTo(404);
        assertThat(head.body()).isEmpty();
    }

    @Test
    void headGivesTheHeadersOfGetWithoutTheBody() {
        byte[] body = bytes(LARGE, 3);
        client.put("k", body, "Content-Type", "text/plain");
        HttpResponse<byte[]> get = client.get("k");
        HttpResponse<byte[]> head = client.head("k");
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        for (String name : List.of("ETag", "Content-Length", "Content-Type", "Accept-Ranges", "Last-Modified")) {
            assertThat(head.headers().firstValue(name))
                    .as(name)
                    .isEqualTo(get.headers().firstValue(name));
        }
    }

    @Test
    void ifNoneMatchStarCreatesOnlyWhenAbsent() {
        assertThat(client.put("k", bytes(10, 1), "If-None-Match", "*").statusCode())
                .isEqualTo(201);
        assertError(client.put("k", bytes(10, 2), "If-None-Match", "*"), 412);
        assertError(client.put("k", bytes(LARGE, 2), "If-None-Match", "*"), 412);
        assertThat(client.get("k").body()).isEqualTo(bytes(10, 1));
    }

    @Test
    void ifMatchReplacesOnlyThatVersion() {
        String etag = json(client.put("k", bytes(10, 1))).get("etag").asText();
        assertError(client.put("k", bytes(10, 2), "If-Match", "\"0123456789abcdef0123456789abcdef\""), 412);
        assertError(client.put("absent", bytes(10, 2), "If-Match", "\"" + etag + "\""), 412);
        assertThat(client.put("k", bytes(10, 3), "If-Match", "\"" + etag + "\"").statusCode())
                .isEqualTo(201);
        assertThat(client.get("k").body()).isEqualTo(bytes(10, 3));
    }

    @Test
    void conditionsAVolumeCannotCheckAre400() {
        assertError(client.put("k", bytes(10, 1), "If-Match", "*"), 400);
        assertError(client.put("k", bytes(10, 1), "If-None-Match", "\"abc\""), 400);
    }

    @Test
    void ifNoneMatchOnGetAnswers304() {
        String etag = json(client.put("k", bytes(LARGE, 1))).get("etag").asText();
        for (String header : List.of("\"" + etag + "\"", "W/\"" + etag + "\"", "\"x\", \"" + etag + "\"", "*")) {
            HttpResponse<byte[]> response = client.get("k", "If-None-Match", header);
            assertThat(response.statusCode()).as(header).isEqualTo(304);
            assertThat(response.body()).isEmpty();
            assertThat(response.headers().firstValue("ETag")).hasValue("\"" + etag + "\"");
            assertThat(client.head("k", "If-None-Match", header).statusCode()).isEqualTo(304);
        }
        assertThat(client.get("k", "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
    }

    @Test
    void bodyOverTheLimitIs413WhenItsLengthIsDeclared() {
        HttpResponse<byte[]> response = client.put("k", new byte[(int) LIMIT + 1]);
        assertError(response, 413);
        assertThat(client.get("k").statusCode()).isEqualTo(404);
        assertThat(client.put("k", new byte[(int) LIMIT]).statusCode()).isEqualTo(201);
    }

    @Test
    void bodyOverTheLimitIs413WhenItIsChunked() {
        HttpResponse<byte[]> response = client.send(client.request("/blobs/k")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new GeneratedInput(LIMIT + 10_000, 1))));
        assertError(response, 413);
        assertThat(client.get("k").statusCode()).isEqualTo(404);
        assertThat(server.config().maxBlobSize()).isEqualTo(LIMIT);
    }

    @Test
    void chunkedBodyWithinTheLimitIsStored() throws IOException {
        HttpResponse<byte[]> response = client.send(client.request("/blobs/k")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new GeneratedInput(LARGE, 7))));
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(client.get("k").body()).isEqualTo(new GeneratedInput(LARGE, 7).readAllBytes());
    }

    @Test
    void hugeDeclaredBodyIsRefusedBeforeItIsSent() {
        long declared = 1L << 40;
        HttpResponse<byte[]> response = client.send(client.request("/blobs/k")
                .expectContinue(true)
                .PUT(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> new GeneratedInput(declared, 1)), declared)));
        assertError(response, 413);
        assertThat(client.get("k").statusCode()).isEqualTo(404);
    }

    @ParameterizedTest(name = "[{index}] {1} of {0} bytes")
    @CsvSource(delimiter = '|', textBlock = """
            1000   | bytes=2-5      | 2   | 5
            1000   | bytes=990-     | 990 | 999
            1000   | bytes=-7       | 993 | 999
            1000   | bytes=-5000    | 0   | 999
            1000   | bytes=500-9999 | 500 | 999
            102400 | bytes=2-5      | 2   | 5
            102400 | bytes=70000-   | 70000 | 102399
            102400 | bytes=-70000   | 32400 | 102399
            102400 | bytes=0-102399 | 0   | 102399
            """)
    void rangeAnswers206WithThatSlice(int size, String range, int first, int last) {
        byte[] body = bytes(size, size);
        client.put("k", body);
        HttpResponse<byte[]> response = client.get("k", "Range", range);
        assertThat(response.statusCode()).isEqualTo(206);
        assertThat(response.body()).isEqualTo(Arrays.copyOfRange(body, first, last + 1));
        assertThat(response.headers().firstValue("Content-Range")).hasValue("bytes " + first + "-" + last + "/" + size);
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(last - first + 1);
        assertThat(response.headers().firstValue("ETag")).hasValue("\"" + md5(body) + "\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=1000-", "bytes=5000-6000", "bytes=-0"})
    void unsatisfiableRangeIs416(String range) {
        client.put("k", bytes(1000, 1));
        HttpResponse<byte[]> response = client.get("k", "Range", range);
        assertError(response, 416);
        assertThat(response.headers().firstValue("Content-Range")).hasValue("bytes */1000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=5-2", "bytes=1-2,5-6", "lines=1-2", "bytes=x-"})
    void unusableRangeHeaderGetsTheWholeBlob(String range) {
        byte[] body = bytes(1000, 1);
        client.put("k", body);
        HttpResponse<byte[]> response = client.get("k", "Range", range);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(body);
    }

    @Test
    void ifRangeWithAnotherTagGetsTheWholeBlob() {
        byte[] body = bytes(1000, 1);
        client.put("k", body);
        HttpResponse<byte[]> response = client.get("k", "Range", "bytes=0-1", "If-Range", "\"old\"");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(body);
        assertThat(client.get("k", "Range", "bytes=0-1", "If-Range", "\"" + md5(body) + "\"")
                        .statusCode())
                .isEqualTo(206);
    }

    @Test
    void deleteIsIdempotent() {
        client.put("k", bytes(LARGE, 1));
        assertThat(client.delete("k").statusCode()).isEqualTo(204);
        assertThat(client.get("k").statusCode()).isEqualTo(404);
        HttpResponse<byte[]> again = client.delete("k");
        assertThat(again.statusCode()).isEqualTo(204);
        assertThat(again.body()).isEmpty();
        assertThat(client.delete("never-was").statusCode()).isEqualTo(204);
    }

    @Test
    void listIsSortedAndFilteredByPrefix() {
        for (String key : List.of("b/2", "a/1", "b/1", "c", "b/10", "ba")) {
            client.put(key, bytes(5, 1));
        }
        assertThat(keys("/blobs")).containsExactly("a/1", "b/1", "b/10", "b/2", "ba", "c");
        assertThat(keys("/blobs?prefix=b/")).containsExactly("b/1", "b/10", "b/2");
        assertThat(keys("/blobs?prefix=zz")).isEmpty();
        assertThat(keys("/blobs?start_after=b/10")).containsExactly("b/2", "ba", "c");
        assertThat(keys("/blobs?prefix=b&start_after=b/1&limit=2")).containsExactly("b/10", "b/2");
    }

    @Test
    void listPagesWithStartAfterAndLimit() {
        List<String> all =
                IntStream.range(0, 25).mapToObj(i -> "key%02d".formatted(i)).toList();
        all.forEach(key -> client.put(key, bytes(1, 1)));
        List<String> seen = new ArrayList<>();
        String after = "";
        List<String> page;
        do {
            page = keys("/blobs?limit=7&start_after=" + after);
            assertThat(page.size()).isLessThanOrEqualTo(7);
            seen.addAll(page);
            after = page.isEmpty() ? after : page.getLast();
        } while (!page.isEmpty());
        assertThat(seen).isEqualTo(all);
    }

    @Test
    void listLimitDefaultsTo1000() {
        List<CompletableFuture<HttpResponse<Void>>> puts = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            puts.add(client.http()
                    .sendAsync(
                            client.request(HttpTestClient.path("k" + i))
                                    .PUT(HttpRequest.BodyPublishers.ofString("v"))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding()));
            if (puts.size() == 32) {
                puts.forEach(p -> assertThat(p.join().statusCode()).isEqualTo(201));
                puts.clear();
            }
        }
        puts.forEach(p -> assertThat(p.join().statusCode()).isEqualTo(201));
        assertThat(keys("/blobs")).hasSize(1000);
        assertThat(keys("/blobs?limit=10000")).hasSize(1001);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"limit=0", "limit=-1", "limit=10001", "limit=abc", "limit=", "prefix=%01", "start_after=%00"})
    void badListParametersAre400(String query) {
        assertError(client.send(client.request("/blobs?" + query)), 400);
    }

    @Test
    void unknownRouteIs404Json() {
        for (String path : List.of("/", "/nope", "/blob/k", "/health/x", "/api/v1/blobs/k")) {
            assertError(client.send(client.request(path)), 404);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            PATCH  | /blobs/k | GET, HEAD, PUT, POST, DELETE
            PUT    | /blobs   | GET, HEAD
            DELETE | /blobs   | GET, HEAD
            POST   | /health  | GET, HEAD
            PUT    | /metrics | GET, HEAD
            """)
    void wrongMethodIs405WithAllow(String method, String path, String allowed) {
        HttpResponse<byte[]> response =
                client.send(client.request(path).method(method, HttpRequest.BodyPublishers.ofString("x")));
        assertError(response, 405);
        assertThat(response.headers().firstValue("Allow")).hasValue(allowed);
    }

    @Test
    void malformedRequestsGetJsonErrorsToo() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.httpAddress().port())) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /blobs/a b c HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response)
                    .startsWith("HTTP/1.1 400")
                    .contains("application/json")
                    .contains("{\"error\":");
        }
    }

    @Test
    void healthReportsTheVolumeAndItsStore() {
        client.put("a", bytes(10, 1));
        client.put("b", bytes(10, 2));
        for (String path : List.of("/health", "/api/v1/health")) {
            HttpResponse<byte[]> response = client.send(client.request(path));
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode health = json(response);
            assertThat(health.get("status").asText()).isEqualTo("healthy");
            assertThat(health.get("volume_id").asText()).isEqualTo("v1");
            assertThat(health.get("mode").asText()).isEqualTo("standalone");
            assertThat(health.get("keys").asLong()).isEqualTo(2);
            assertThat(health.get("segments").asInt()).isPositive();
            assertThat(health.get("total_bytes").asLong()).isPositive();
            for (String field : List.of("total_mb", "live_mb", "dead_mb", "uploads_in_flight")) {
                assertThat(health.has(field)).as(field).isTrue();
            }
        }
    }

    @Test
    void metricsAreInPrometheusTextFormat() {
        client.put("a", bytes(LARGE, 1));
        client.get("a");
        client.get("missing");
        for (String path : List.of("/metrics", "/api/v1/metrics")) {
            HttpResponse<byte[]> response = client.send(client.request(path));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type"))
                    .get()
                    .asString()
                    .startsWith("text/plain");
            assertThat(text(response))
                    .contains("# TYPE minikv_http_requests_seconds histogram")
                    .containsPattern(
                            "minikv_http_requests_seconds_count\\{method=\"PUT\",route=\"/blobs/\\{key}\",status=\"201\",volume=\"v1\"} 1")
                    .containsPattern(
                            "minikv_http_requests_seconds_count\\{method=\"GET\",route=\"/blobs/\\{key}\",status=\"404\",volume=\"v1\"} 1")
                    .containsPattern("minikv_http_received_bytes_total\\{volume=\"v1\"} 102400")
                    .containsPattern("minikv_http_sent_bytes_total\\{volume=\"v1\"} 102400")
                    .contains(
                            "minikv_store_keys{",
                            "minikv_store_segments{",
                            "minikv_store_dead_bytes{",
                            "minikv_store_size_bytes{")
                    .contains("minikv_store_compactions_total{", "minikv_uploads_in_flight{volume=\"v1\"} 0.0")
                    .contains("jvm_memory_used_bytes{");
        }
    }

    /**
     * Sends a PUT of blob {@code slow} whose body is two bytes but only the first, and waits until
     * the server counts it in flight; the caller sends the second byte with the returned stream.
     */
    private OutputStream startHalfUpload(Socket socket) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write("PUT /blobs/slow HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nx"
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> json(client.send(client.request("/health")))
                                .get("uploads_in_flight")
                                .asInt()
                        == 1);
        return out;
    }

    @Test
    void uploadsBeyondTheLimitAre503AtOnce() throws Exception {
        startWith(config().withMaxConcurrentUploads(1));
        try (Socket slow = new Socket("127.0.0.1", server.httpAddress().port())) {
            // An upload that has sent one of its two bytes holds the only slot.
            OutputStream out = startHalfUpload(slow);
            assertError(client.put("other", bytes(10, 1)), 503);
            out.write('y');
            out.flush();
            String answer = new String(slow.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(answer).isEqualTo("HTTP/1.1 201");
        }
        assertThat(client.put("other", bytes(10, 1)).statusCode()).isEqualTo(201);
        assertThat(text(client.get("slow"))).isEqualTo("xy");
    }

    @Test
    void anUploadThatStopsSendingIsClosedAndGivesItsSlotBack() throws Exception {
        startWith(config().withMaxConcurrentUploads(1).withBodyIdleTimeout(Duration.ofMillis(500)));
        try (Socket stalled = new Socket("127.0.0.1", server.httpAddress().port())) {
            startHalfUpload(stalled);
            stalled.setSoTimeout((int) TimeUnit.SECONDS.toMillis(30));
            // The server closes the connection without an answer: the client sees its end.
            assertThat(stalled.getInputStream().read()).isEqualTo(-1);
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(
                                client.put("other", bytes(10, 1)).statusCode())
                        .isEqualTo(201));
        assertError(client.get("slow"), 404);
    }

    @Test
    void stopLetsTheRequestsInFlightFinishThenClosesTheStore() throws Exception {
        int port = server.httpAddress().port();
        try (Socket upload = new Socket("127.0.0.1", port)) {
            OutputStream out = startHalfUpload(upload);
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::stop);
            await().atMost(Duration.ofSeconds(30)).until(() -> !accepts(port));
            assertThat(stopping).isNotDone();
            out.write('y');
            out.flush();
            String answer = new String(upload.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(answer).isEqualTo("HTTP/1.1 201");
            stopping.get(60, TimeUnit.SECONDS);
        }
        startWith(config());
        assertThat(text(client.get("slow"))).isEqualTo("xy");
    }

    private static boolean accepts(int port) {
        try (Socket probe = new Socket("127.0.0.1", port)) {
            return probe.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void replicaRefusesWritesWith405AndServesReads() throws IOException {
        startWith(config().withGrpc(HostPort.parse("127.0.0.1:0"))
                .withCoordinators(List.of(URI.create("http://127.0.0.1:1"))));
        HttpResponse<byte[]> put = client.put("k", bytes(10, 1));
        assertError(put, 405);
        assertThat(json(put).get("error").asText())
                .isEqualTo("this volume is a cluster replica: write through the coordinators");
        assertError(client.send(client.request("/blobs/k").POST(HttpRequest.BodyPublishers.ofString("x"))), 405);
        assertError(client.delete("k"), 405);
        assertError(client.get("k"), 404);
        assertThat(json(client.send(client.request("/health"))).get("mode").asText())
                .isEqualTo("replica");
    }

    @Test
    void blobsSurviveARestart() throws IOException {
        byte[] small = bytes(100, 1);
        byte[] large = bytes(LARGE, 2);
        client.put("small", small, "Content-Type", "text/plain");
        client.put("large", large, "Content-Type", "video/mp4");
        client.put("gone", small);
        client.delete("gone");
        startWith(config());
        HttpResponse<byte[]> smallBack = client.get("small");
        assertThat(smallBack.body()).isEqualTo(small);
        assertThat(smallBack.headers().firstValue("Content-Type")).hasValue("text/plain");
        assertThat(smallBack.headers().firstValue("ETag")).hasValue("\"" + md5(small) + "\"");
        HttpResponse<byte[]> largeBack = client.get("large");
        assertThat(largeBack.body()).isEqualTo(large);
        assertThat(largeBack.headers().firstValue("Content-Type")).hasValue("video/mp4");
        assertThat(client.get("gone").statusCode()).isEqualTo(404);
        assertThat(keys("/blobs")).containsExactly("large", "small");
        assertThat(json(client.put("large", small)).get("version").asLong()).isEqualTo(2);
    }

    private List<String> keys(String pathAndQuery) {
        HttpResponse<byte[]> response = client.send(client.request(pathAndQuery));
        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        List<String> keys = new ArrayList<>();
        json(response).forEach(node -> keys.add(node.asText()));
        return keys;
    }

    /** Every error: the status, and a JSON body {"error": "..."} (none for HEAD). */
    static void assertError(HttpResponse<byte[]> response, int status) {
        assertThat(response.statusCode()).as(text(response)).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode error = json(response);
        assertThat(error.get("error").asText()).isNotBlank();
        assertThat(error.size()).isEqualTo(1);
    }

    static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
