package io.minikv.volume;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A {@link VolumeServerProcess} started by a test: its port, a way to ask its heap, and SIGKILL. */
final class ChildVolume implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final Path log;
    private final HostPort address;

    private ChildVolume(Process process, Path log) throws IOException {
        this.process = process;
        this.log = log;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = readLine();
        if (line == null || !line.startsWith("port ")) {
            throw new IOException("the volume process did not start: " + line + "\n" + Files.readString(log));
        }
        this.address = new HostPort("127.0.0.1", Integer.parseInt(line.substring(5)));
    }

    /**
     * Starts a volume on {@code dataDir} in a new JVM with the test's classpath, {@code heap} as
     * -Xmx (e.g. {@code 256m}), and {@code segmentSize} (0 for the default).
     */
    static ChildVolume start(Path dataDir, String heap, long segmentSize) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap,
                "-cp",
                System.getProperty("java.class.path"),
                VolumeServerProcess.class.getName(),
                dataDir.toString()));
        if (segmentSize > 0) {
            command.add(Long.toString(segmentSize));
        }
        Path log = Files.createTempFile("volume-process", ".log");
        Process process =
                new ProcessBuilder(command).redirectError(log.toFile()).start();
        return new ChildVolume(process, log);
    }

    HostPort address() {
        return address;
    }

    /** The peak heap use of the process so far, in bytes. */
    long peakHeapBytes() throws IOException {
        OutputStream in = process.getOutputStream();
        in.write("heap\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
        String line = readLine();
        if (line == null || !line.startsWith("heap ")) {
            throw new IOException("unexpected answer: " + line);
        }
        return Long.parseLong(line.substring(5));
    }

    /** SIGKILL, and wait until the process is gone (its file lock with it). */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** The process's log (stderr). */
    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server gracefully (end of its input) and waits for the process to end. */
    @Override
    public void close() throws IOException {
        try {
            if (process.isAlive()) {
                process.getOutputStream().close();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        Files.deleteIfExists(log);
    }

    private String readLine() throws IOException {
        try {
            return CompletableFuture.supplyAsync(() -> {
                        try {
                            return out.readLine();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IOException("no answer from the volume process: " + e + "\n" + log(), e);
        }
    }
}
