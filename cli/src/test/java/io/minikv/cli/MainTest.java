package io.minikv.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.minikv.storage.Store;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MainTest {
    @TempDir
    Path dir;

    record Result(int exitCode, String out, String err) {
        String[] errLines() {
            return err.lines().toArray(String[]::new);
        }
    }

    private static Result runWithInput(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = Main.execute(
                args,
                new StandardInput(new ByteArrayInputStream(stdin.getBytes(UTF_8)), false),
                OutputStream.nullOutputStream(),
                new PrintWriter(out, true),
                new PrintWriter(err, true));
        return new Result(exitCode, out.toString(), err.toString());
    }

    private static Result run(String... args) {
        return runWithInput("", args);
    }

    @Test
    void helpListsEveryCommandOfTheInterface() {
        Result result = run("--help");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out())
                .contains(
                        "dev",
                        "coord serve",
                        "volume serve",
                        "repl",
                        "put",
                        "get",
                        "delete",
                        "list",
                        "cluster status",
                        "cluster add-node",
                        "cluster remove-node",
                        "health",
                        "verify",
                        "repair",
                        "rebalance",
                        "compact",
                        "bench");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void helpListsEveryCommandAsAvailable() {
        String help = words(run("--help").out());
        assertThat(help).doesNotContain("not available");
        assertThat(help).contains("dev Run a local cluster").contains("coord serve Run a coordinator");
        assertThat(help).contains("volume serve Run a volume server: blob HTTP routes and internal gRPC. repl ");
    }

    /** Help text with its line wrapping undone, so tests do not depend on the terminal width. */
    private static String words(String text) {
        return text.replaceAll("\\s+", " ");
    }

    @Test
    void subcommandHelpShowsItsDocumentedOptions() {
        assertThat(run("coord", "serve", "--help").out())
                .contains(
                        "--id",
                        "--bind",
                        "--grpc",
                        "--raft",
                        "--db",
                        "--peers",
                        "--replicas",
                        "--value-cache",
                        "--election-timeout");
        assertThat(words(run("put", "--help").out()))
                .contains("KEY", "VALUE", "--file", "--coordinator", "--protocol", "--format", "--timeout")
                .contains("http://127.0.0.1:5000", "http, grpc", "table, json");
        assertThat(run("repair", "--help").out()).contains("--replicas", "--dry-run");
    }

    @Test
    void versionNamesTheProjectVersion() {
        Result result = run("--version");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("minikv ").doesNotContain("${").doesNotContain("unknown version");
    }

    @Test
    void subcommandVersionIsTheProjectVersion() {
        assertThat(run("cluster", "status", "--version").out())
                .isEqualTo(run("--version").out());
    }

    @Test
    void unknownCommandIsAUsageErrorOnOneLine() {
        Result result = run("frobnicate");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines()).containsExactly("minikv: unknown command 'frobnicate' (see 'minikv --help')");
    }

    @Test
    void unknownOptionIsAUsageErrorOnOneLine() {
        Result result = run("repl", "--frob");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines())
                .singleElement()
                .asString()
                .startsWith("minikv repl: ")
                .contains("--frob");
    }

    @Test
    void missingParameterIsAUsageErrorOnOneLine() {
        Result result = run("put");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines())
                .containsExactly("minikv put: Missing required parameter: 'KEY' (see 'minikv put --help')");
    }

    @Test
    void badOptionValueIsAUsageError() {
        assertThat(run("get", "k", "--timeout", "soon").exitCode()).isEqualTo(2);
        assertThat(run("get", "k", "--protocol", "carrier-pigeon").exitCode()).isEqualTo(2);
    }

    @ParameterizedTest
    @CsvSource({"--value-cache,lots", "--election-timeout,soon", "--election-timeout,50ms", "--election-timeout,2m"})
    void aBadCoordinatorSettingIsAUsageErrorBeforeAnythingStarts(String option, String value) {
        Result result = run(
                "coord",
                "serve",
                "--id",
                "c0",
                "--bind",
                "127.0.0.1:0",
                "--grpc",
                "127.0.0.1:0",
                "--raft",
                "127.0.0.1:0",
                "--db",
                "unused",
                "--peers",
                "c0=127.0.0.1:0",
                option,
                value);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).singleElement().asString().startsWith("minikv coord serve: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "cluster", "coord", "volume"})
    void groupWithoutItsCommandIsAUsageError(String group) {
        Result result = group.isEmpty() ? run() : run(group);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).singleElement().asString().contains("missing command");
    }

    @Test
    void replRunsPipedLinesAndPrintsOnlyTheirOutput() {
        Result result = runWithInput(
                "set a \"hello world\"\nget a\nset b 2\nlist\ndelete b\nget b\nfrob\nquit\nget a\n",
                "repl",
                "--data",
                dir.toString());
        assertThat(result.exitCode()).isZero();
        assertThat(result.out().lines())
                .containsExactly(
                        "OK",
                        "hello world",
                        "OK",
                        "a",
                        "b",
                        "Deleted",
                        "Key not found",
                        "Unknown command: frob (type 'help')");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void replEndsCleanlyAtEndOfInput() {
        Result result = runWithInput("set a 1", "repl", "--data", dir.toString());
        assertThat(result.exitCode()).isZero();
        assertThat(result.out().lines()).containsExactly("OK");
    }

    @Test
    void replKeepsDataAcrossRuns() {
        runWithInput("set a 1\n", "repl", "--data", dir.toString());
        assertThat(runWithInput("get a\n", "repl", "--data", dir.toString())
                        .out()
                        .lines())
                .containsExactly("1");
    }

    @Test
    void replCreatesAMissingDataDirectory() {
        Path nested = dir.resolve("new/store");
        assertThat(runWithInput("set a 1\n", "repl", "--data", nested.toString())
                        .exitCode())
                .isZero();
        assertThat(nested).isDirectory();
    }

    @Test
    void replOnAStoreInUseFailsOnOneLine() throws IOException {
        try (Store holder = Store.open(dir)) {
            Result result = runWithInput("get a\n", "repl", "--data", dir.toString());
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.out()).isEmpty();
            assertThat(result.errLines()).containsExactly("minikv repl: " + dir + " is in use by another process");
        }
    }

    @Test
    void replOnAPathThatIsNotADirectoryFailsOnOneLine() throws IOException {
        Path file = java.nio.file.Files.writeString(dir.resolve("plain-file"), "x");
        Result result = runWithInput("get a\n", "repl", "--data", file.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines()).singleElement().asString().startsWith("minikv repl: ");
    }

    @Test
    void completionScriptIsGenerated() {
        Result result = run("generate-completion");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("complete").contains("minikv");
    }
}
