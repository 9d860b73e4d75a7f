package io.minikv.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minikv.volume.HostPort;
import io.minikv.volume.VolumeConfig;
import io.minikv.volume.VolumeServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** put, get, delete, list and health in-process against a real standalone volume. */
class DataCommandsTest {
    @TempDir
    Path dir;

    private VolumeServer volume;
    private String url;

    private record Result(int exitCode, byte[] stdout, String out, String err) {
        String[] errLines() {
            return err.lines().toArray(String[]::new);
        }
    }

    @BeforeEach
    void start() throws IOException {
        volume =
                VolumeServer.start(VolumeConfig.standalone("v1", HostPort.parse("127.0.0.1:0"), dir.resolve("volume")));
        url = "http://127.0.0.1:" + volume.httpAddress().port();
    }

    @AfterEach
    void stop() {
        volume.close();
    }

    private Result runWithInput(byte[] stdin, String... args) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] withCoordinator =
                Stream.concat(Stream.of(args), Stream.of("--coordinator", url)).toArray(String[]::new);
        int code = Main.execute(
                withCoordinator,
                new StandardInput(new ByteArrayInputStream(stdin), false),
                stdout,
                new PrintWriter(out, true),
                new PrintWriter(err, true));
        return new Result(code, stdout.toByteArray(), out.toString(), err.toString());
    }

    private Result run(String... args) {
        return runWithInput(new byte[0], args);
    }

    @Test
    void putThenGetWritesTheBytesToStdout() {
        Result put = run("put", "greeting", "hello wörld");
        assertThat(put.exitCode()).as(put.err()).isZero();
        assertThat(put.out()).contains("key", "greeting", "etag", "size");
        Result get = run("get", "greeting");
        assertThat(get.exitCode()).isZero();
        assertThat(new String(get.stdout(), UTF_8)).isEqualTo("hello wörld");
        assertThat(get.out()).isEmpty();
        assertThat(get.err()).isEmpty();
    }

    @Test
    void putWithoutValueOrFileReadsStdin() {
        byte[] binary = {0, (byte) 0xFF, 10, 13, 0};
        assertThat(runWithInput(binary, "put", "bin").exitCode()).isZero();
        assertThat(run("get", "bin").stdout()).isEqualTo(binary);
    }

    @Test
    void fileGoesUpAndComesBackByteForByte() throws IOException {
        byte[] data = new byte[3 << 20];
        new SplittableRandom(3).nextBytes(data);
        Path in = Files.write(dir.resolve("in.bin"), data);
        Path out = dir.resolve("out.bin");
        Result put = run("put", "file", "--file", in.toString(), "--format", "json");
        assertThat(put.exitCode()).as(put.err()).isZero();
        assertThat(json(put.out()).get("size").asLong()).isEqualTo(data.length);
        Result get = run("get", "file", "--output", out.toString());
        assertThat(get.exitCode()).as(get.err()).isZero();
        assertThat(get.stdout()).isEmpty();
        assertThat(Files.readAllBytes(out)).isEqualTo(data);
    }

    @Test
    void missingKeyFailsWithOneLineAndExitCode1() {
        Path out = dir.resolve("never.bin");
        Result result = run("get", "nothing", "--output", out.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines()).containsExactly("minikv get: Blob not found");
        assertThat(out).doesNotExist();
    }

    @Test
    void deleteIsIdempotent() {
        run("put", "k", "v");
        assertThat(run("delete", "k").exitCode()).isZero();
        assertThat(run("delete", "k").exitCode()).isZero();
        assertThat(run("get", "k").exitCode()).isEqualTo(1);
    }

    @Test
    void listPrintsKeysOneALineOrAsAJsonArray() throws IOException {
        for (String key : new String[] {"b/2", "a/1", "b/1", "b/3"}) {
            run("put", key, "x");
        }
        assertThat(run("list").out().lines()).containsExactly("a/1", "b/1", "b/2", "b/3");
        assertThat(run("list", "--prefix", "b/", "--limit", "2").out().lines()).containsExactly("b/1", "b/2");
        JsonNode keys = json(run("list", "--prefix", "b/", "--format", "json").out());
        assertThat(keys.isArray()).isTrue();
        assertThat(keys).extracting(JsonNode::asText).containsExactly("b/1", "b/2", "b/3");
    }

    @Test
    void badInputIsAUsageError() throws IOException {
        Path file = Files.writeString(dir.resolve("v.txt"), "v");
        Result both = run("put", "k", "v", "--file", file.toString());
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.errLines()).singleElement().asString().contains("not both");
        Result badKey = run("put", "a\u0001b", "v");
        assertThat(badKey.exitCode()).isEqualTo(2);
        assertThat(badKey.errLines()).singleElement().asString().contains("control characters");
        assertThat(run("list", "--limit", "0").exitCode()).isEqualTo(2);
        assertThat(run("get", "k", "--coordinator", "ftp://h:1").exitCode()).isEqualTo(2);
    }

    @Test
    void healthPrintsTheAnswerInEitherFormat() throws IOException {
        Result table = run("health");
        assertThat(table.exitCode()).isZero();
        assertThat(table.out().lines()).contains("status  healthy");
        assertThat(json(run("health", "--format", "json").out()).get("status").asText())
                .isEqualTo("healthy");
    }

    @Test
    void unreachableCoordinatorFailsWithOneLine() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        int code = Main.execute(
                new String[] {"get", "k", "--coordinator", "http://127.0.0.1:" + port},
                new StandardInput(new ByteArrayInputStream(new byte[0]), false),
                stdout,
                new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString().lines())
                .singleElement()
                .asString()
                .startsWith("minikv get: http://127.0.0.1:" + port + ": cannot connect");
    }

    private static JsonNode json(String text) throws IOException {
        return new ObjectMapper().readTree(text);
    }
}
