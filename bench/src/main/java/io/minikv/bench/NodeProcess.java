package io.minikv.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One cluster node as a child process of the benchmark, with its output appended to a log file. It
 * can be stopped politely (SIGTERM), killed (SIGKILL) and started again with the same command line,
 * hence the same ports and data directory.
 */
final class NodeProcess {
    private static final long STOP_SECONDS = 15;

    private final List<String> command;
    private final Path log;
    private Process process;

    private NodeProcess(List<String> command, Path log) {
        this.command = List.copyOf(command);
        this.log = log;
    }

    static NodeProcess start(List<String> command, Path log) throws IOException {
        NodeProcess node = new NodeProcess(command, log);
        node.start();
        return node;
    }

    /** Starts the command again after {@link #kill()} or {@link #stop()}. */
    void start() throws IOException {
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL (what {@link Process#destroyForcibly()} sends on Linux), then waits for the exit. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, and SIGKILL if the node has not exited after 15 s. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
            kill();
        }
    }

    /**
     * The CPU time (user and system) the running process has used since it started; zero once it has
     * exited, when the system no longer says.
     */
    Duration cpuTime() {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    Path log() {
        return log;
    }
}
