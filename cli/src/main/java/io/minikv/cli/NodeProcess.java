package io.minikv.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A node running in a process of its own, its standard output and error appended to a log file
 * that outlives it, so a second run adds to the first one's log.
 */
final class NodeProcess {
    private final String id;
    private final Path log;
    private final Process process;

    private NodeProcess(String id, Path log, Process process) {
        this.id = id;
        this.log = log;
        this.process = process;
    }

    /**
     * Starts {@code command}, first appending a line to {@code log} that says when and what was
     * started, so that each run's part of the log can be told from the last.
     */
    static NodeProcess start(String id, List<String> command, Path log) throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        Files.writeString(
                log,
                "---- " + Instant.now() + " starting " + id + ": " + String.join(" ", command) + System.lineSeparator(),
                UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new NodeProcess(id, log, process);
    }

    String id() {
        return id;
    }

    Path log() {
        return log;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The exit status; only once the process has exited. */
    int exitValue() {
        return process.exitValue();
    }

    /** Completes when the process has exited. */
    CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /** Asks the process to stop: SIGTERM, on which a node stops gracefully. Returns at once. */
    void terminate() {
        process.destroy();
    }

    /**
     * Waits up to {@code grace} for the process to exit, then kills it (SIGKILL) and waits for
     * that. Returns once the process is gone.
     */
    void awaitExitOrKill(Duration grace) throws InterruptedException {
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
