package io.minikv.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.minikv.storage.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplInterpreterTest {
    @TempDir
    Path dir;

    private Store store;
    private StringWriter output;
    private ReplInterpreter repl;

    @BeforeEach
    void open() throws IOException {
        store = Store.open(dir);
        output = new StringWriter();
        repl = new ReplInterpreter(store, new PrintWriter(output));
    }

    @AfterEach
    void close() throws IOException {
        store.close();
    }

    /** Runs the lines and returns what they printed, one element per output line. */
    private String[] run(String... lines) {
        output.getBuffer().setLength(0);
        for (String line : lines) {
            repl.execute(line);
        }
        return output.toString().lines().toArray(String[]::new);
    }

    @Test
    void setPrintsOkAndGetPrintsTheValue() {
        assertThat(run("set a 1", "get a")).containsExactly("OK", "1");
    }

    @Test
    void setWritesToTheStoreBeforeItPrintsOk() throws IOException {
        run("set a 1");
        assertThat(store.get("a".getBytes(UTF_8))).hasValue("1".getBytes(UTF_8));
    }

    @Test
    void valueIsTheRestOfTheLineWithSurroundingQuotesRemoved() {
        assertThat(run(
                        "set plain hello world",
                        "set double \"hello world\"",
                        "set single 'hello world'",
                        "set inner say \"hi\" twice",
                        "get plain",
                        "get double",
                        "get single",
                        "get inner"))
                .containsExactly(
                        "OK", "OK", "OK", "OK", "hello world", "hello world", "hello world", "say \"hi\" twice");
    }

    @Test
    void quotedKeyMayHoldSpaces() {
        assertThat(run("set \"my key\" v", "get 'my key'", "list")).containsExactly("OK", "v", "my key");
    }

    @Test
    void keysAndValuesAreUtf8() throws IOException {
        assertThat(run("set clé välue ✓", "get clé")).containsExactly("OK", "välue ✓");
        assertThat(store.get("clé".getBytes(UTF_8))).hasValue("välue ✓".getBytes(UTF_8));
    }

    @Test
    void getOfMissingKeyPrintsKeyNotFound() {
        assertThat(run("get nope")).containsExactly("Key not found");
    }

    @Test
    void setReplacesTheValue() {
        assertThat(run("set a 1", "set a 2", "get a")).containsExactly("OK", "OK", "2");
    }

    @Test
    void deletePrintsDeletedThenTheKeyIsGone() {
        assertThat(run("set a 1", "delete a", "get a")).containsExactly("OK", "Deleted", "Key not found");
    }

    @Test
    void deleteOfMissingKeyPrintsKeyNotFound() {
        assertThat(run("delete nope")).containsExactly("Key not found");
    }

    @Test
    void listPrintsEveryKeySorted() {
        assertThat(run("set b 2", "set c 3", "set a 1", "list")).containsExactly("OK", "OK", "OK", "a", "b", "c");
    }

    @Test
    void listOfEmptyStorePrintsNothing() {
        assertThat(run("list")).isEmpty();
    }

    @Test
    void listPagesThroughMoreKeysThanOnePage() {
        ReplInterpreter smallPages = new ReplInterpreter(store, new PrintWriter(output), 2);
        run("set e 5", "set a 1", "set d 4", "set b 2", "set c 3", "delete d");
        output.getBuffer().setLength(0);
        smallPages.execute("list");
        assertThat(output.toString().lines()).containsExactly("a", "b", "c", "e");
    }

    @Test
    void listOfExactlyOnePageEndsAfterAnEmptyPage() {
        ReplInterpreter smallPages = new ReplInterpreter(store, new PrintWriter(output), 2);
        run("set a 1", "set b 2");
        output.getBuffer().setLength(0);
        smallPages.execute("list");
        assertThat(output.toString().lines()).containsExactly("a", "b");
    }

    @Test
    void statsPrintsTheStoreFigures() {
        run("set a 1", "set b 2", "delete b");
        String[] stats = run("stats");
        assertThat(stats[0]).isEqualTo("Store Statistics:");
        assertThat(stats)
                .anyMatch(line -> line.matches("  keys: +1"))
                .anyMatch(line -> line.matches("  segments: +1"))
                .anyMatch(line -> line.matches("  total size: +\\d+ bytes"))
                .anyMatch(line -> line.matches("  live bytes: +\\d+ bytes"))
                .anyMatch(line -> line.matches("  dead bytes: +[1-9]\\d* bytes"))
                .anyMatch(line -> line.matches("  index memory: +.*\\d+.*"));
        assertThat(List.of(stats).subList(1, stats.length)).allMatch(line -> line.startsWith("  "));
    }

    @Test
    void compactReclaimsTheSpaceOfOverwrittenValues() {
        run("set a 1", "set a 2", "set b 1", "delete b");
        String[] compaction = run("compact");
        assertThat(compaction[0]).isEqualTo("Compaction finished");
        assertThat(compaction[1]).matches("  1 segment compacted, [1-9]\\d* bytes reclaimed");
        assertThat(run("get a", "get b", "list")).containsExactly("2", "Key not found", "a");
        assertThat(store.stats().deadBytes()).isZero();
    }

    @Test
    void helpListsEveryCommand() {
        assertThat(String.join("\n", run("help")))
                .contains("set KEY VALUE", "get KEY", "delete KEY", "list", "stats", "compact", "help", "quit");
    }

    @Test
    void quitAndExitAskToLeave() {
        assertThat(repl.execute("quit")).isFalse();
        assertThat(repl.execute("exit")).isFalse();
        assertThat(output.toString()).isEmpty();
    }

    @Test
    void otherCommandsKeepTheSessionGoing() {
        assertThat(repl.execute("set a 1")).isTrue();
        assertThat(repl.execute("frob")).isTrue();
        assertThat(repl.execute("")).isTrue();
    }

    @Test
    void blankLinePrintsNothing() {
        assertThat(run("", "   ")).isEmpty();
    }

    @Test
    void unknownCommandPointsToHelp() {
        assertThat(run("frob a")).containsExactly("Unknown command: frob (type 'help')");
    }

    @Test
    void wrongArgumentsPrintTheUsage() {
        assertThat(run("set", "set a", "get", "get a b", "delete", "list all", "stats now"))
                .containsExactly(
                        "Usage: set KEY VALUE",
                        "Usage: set KEY VALUE",
                        "Usage: get KEY",
                        "Usage: get KEY",
                        "Usage: delete KEY",
                        "Usage: list",
                        "Usage: stats");
    }

    @Test
    void storeErrorIsOneLineAndTheSessionGoesOn() {
        String longKey = "k".repeat(Store.MAX_KEY_LENGTH + 1);
        assertThat(run("set " + longKey + " v", "get " + longKey, "set \"\" v", "set a 1"))
                .containsExactly(
                        "Error: key must be 1 to 1024 bytes, got 1025 bytes",
                        "Error: key must be 1 to 1024 bytes, got 1025 bytes",
                        "Error: key must be 1 to 1024 bytes, got 0 bytes",
                        "OK");
    }

    @Test
    void failureOfTheStoreItselfIsReportedNotThrown() throws IOException {
        store.close();
        assertThat(run("get a"))
                .singleElement()
                .asString()
                .startsWith("Error: ")
                .contains("closed");
    }

    @Test
    void setSurvivesCloseAndReopen() throws IOException {
        run("set a \"hello world\"", "set b 2", "delete b");
        store.close();
        store = Store.open(dir);
        repl = new ReplInterpreter(store, new PrintWriter(output));
        assertThat(run("get a", "get b", "list")).containsExactly("hello world", "Key not found", "a");
    }
}
