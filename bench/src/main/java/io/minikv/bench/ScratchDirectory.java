package io.minikv.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A fresh directory for one store, deleted with everything in it on close. It is created under the
 * system property {@code minikv.bench.dir} (bench/run.sh points it at bench/target/data), or under
 * java.io.tmpdir; either way on the disk being measured, never on tmpfs, or the figures would be
 * those of memory.
 */
final class ScratchDirectory implements AutoCloseable {
    private final Path path;

    private ScratchDirectory(Path path) {
        this.path = path;
    }

    static ScratchDirectory create(String prefix) throws IOException {
        Path base = Path.of(System.getProperty("minikv.bench.dir", System.getProperty("java.io.tmpdir")));
        Files.createDirectories(base);
        return new ScratchDirectory(Files.createTempDirectory(base, prefix));
    }

    Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
