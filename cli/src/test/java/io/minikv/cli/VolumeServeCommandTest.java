package io.minikv.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minikv.storage.Store;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VolumeServeCommandTest {
    private static final Pattern SERVING = Pattern.compile("volume (\\S+) serving HTTP on [^ ]+:(\\d+),");

    @TempDir
    Path dir;

    private record Result(int exitCode, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.execute(
                args,
                new StandardInput(new ByteArrayInputStream(new byte[0]), false),
                OutputStream.nullOutputStream(),
                new PrintWriter(out, true),
                new PrintWriter(err, true));
        return new Result(exitCode, out.toString(), err.toString());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            --bind 127.0.0.1:0 --data d                                  | missing --id
            --id v1 --data d --bind nowhere                              | --bind: 'nowhere' is not HOST:PORT or PORT
            --id v1 --data d --bind 127.0.0.1:70000                      | port must be in 0..65535
            --id v1 --data d --bind 127.0.0.1:0 --grpc nope              | --grpc: 'nope' is not HOST:PORT or PORT
            --id a/b --data d --bind 127.0.0.1:0                         | volume id must be
            --id v1 --data d --bind 127.0.0.1:0 --coordinators ftp://c:1 | is not an http:// URL
            --id v1 --data d --bind 127.0.0.1:0 --coordinators http://c:1 | a cluster replica (a volume with coordinators) needs a gRPC address
            --id v1 --data d --bind 127.0.0.1:0 --max-blob-size lots     | is not a positive size
            --id v1 --data d --bind 127.0.0.1:0 --max-blob-size 3GiB     | max blob size must be from 1 to
            --id v1 --data d --bind 127.0.0.1:0 --max-concurrent-uploads 0 | max concurrent uploads must be at least 1
            --id v1 --data d --bind 127.0.0.1:0 --max-concurrent-requests 0 | max concurrent requests must be at least 1
            --id v1 --data d --bind 127.0.0.1:0 --max-connections -1     | max connections must be at least 1
            --id v1 --data d --bind 127.0.0.1:0 --frob                   | Unknown option: '--frob'
            """)
    void badOptionsAreUsageErrorsOnOneLine(String options, String message) {
        Result result = run(("volume serve " + options).split(" +"));
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err().lines())
                .singleElement()
                .asString()
                .startsWith("minikv volume serve: ")
                .contains(message)
                .endsWith("(see 'minikv volume serve --help')");
    }

    @Test
    void dataDirectoryInUseFailsOnOneLine() throws IOException {
        try (Store holder = Store.open(dir)) {
            assertThat(holder.directory()).isEqualTo(dir);
            Result result = run("volume", "serve", "--id", "v1", "--bind", "127.0.0.1:0", "--data", dir.toString());
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err().lines())
                    .containsExactly("minikv volume serve: " + dir + " is in use by another process");
        }
    }

    @Test
    void portInUseFailsOnOneLine() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String bind = "127.0.0.1:" + taken.getLocalPort();
            Result result = run("volume", "serve", "--id", "v1", "--bind", bind, "--data", dir.toString());
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err().lines())
                    .singleElement()
                    .asString()
                    .startsWith("minikv volume serve: cannot listen on " + bind);
        }
    }

    @Test
    void helpShowsTheLimitsWithTheirDefaults() {
        String help = run("volume", "serve", "--help").out().replaceAll("\\s+", " ");
        assertThat(help)
                .contains("--id", "--bind", "--grpc", "--data", "--coordinators")
                .contains("--max-blob-size=SIZE", "(default: 1GiB)")
                .contains("--max-concurrent-uploads=N", "(default: 64)")
                .contains("--max-concurrent-requests=N", "(default: 1024)")
                .contains("--max-connections=N", "(default: 4096)")
                .contains("env VOLUME_ID", "env PORT", "env DATA_DIR");
    }

    /**
     * The real command in a process of its own: configured by the environment variables (with a
     * flag winning over its variable), serving HTTP, and stopped cleanly by SIGTERM.
     */
    @Test
    void servesFromTheEnvironmentAndStopsOnSigterm() throws Exception {
        Path data = dir.resolve("volume");
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "volume",
                "serve",
                "--id",
                "from-flag");
        builder.environment().put("PORT", "0");
        builder.environment().put("VOLUME_ID", "from-env");
        builder.environment().put("DATA_DIR", data.toString());
        Process process = builder.start();
        List<String> log = new CopyOnWriteArrayList<>();
        Thread.ofVirtual().start(() -> collect(process, log));
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> serving(log).isPresent() || !process.isAlive());
            Matcher serving = serving(log).orElseThrow(() -> new AssertionError("did not start: " + log));
            assertThat(serving.group(1)).isEqualTo("from-flag");
            URI base = URI.create("http://127.0.0.1:" + serving.group(2));
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> put = http.send(
                    HttpRequest.newBuilder(base.resolve("/blobs/hello"))
                            .PUT(HttpRequest.BodyPublishers.ofString("world"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).isEqualTo(201);
            assertThat(put.body()).contains("\"volume_id\":\"from-flag\"");

            // SIGTERM through the handle: Process.destroy() would also close the pipes we read.
            process.toHandle().destroy();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(143);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> log.stream().anyMatch(l -> l.contains("volume from-flag stopped")));
        } finally {
            process.destroyForcibly().waitFor();
        }
        try (Store store = Store.open(data)) {
            assertThat(store.stats().keys()).isEqualTo(1);
        }
    }

    private static Optional<Matcher> serving(List<String> log) {
        return log.stream().map(SERVING::matcher).filter(Matcher::find).findFirst();
    }

    private static void collect(Process process, List<String> log) {
        try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), UTF_8))) {
            err.lines().forEach(log::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
