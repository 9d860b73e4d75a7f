package io.minikv.checker;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The recorded histories with known verdicts in {@code shared/testdata/linearizability/} (its README specifies
 * the formats). The directory lies outside the repository: {@code shared/} sits beside the clone, so it is
 * found by walking up from the working directory. A missing directory fails the test; it is never skipped.
 */
final class RecordedHistories {
    private static final Path RELATIVE = Path.of("shared", "testdata", "linearizability");

    private RecordedHistories() {}

    /** One row of {@code manifest.tsv}. */
    record Entry(
            String file,
            String model,
            boolean linearizable,
            int operations,
            int readsOrGets,
            int writesOrPuts,
            int casOrAppends,
            int infoOps,
            int readTimeouts) {
        @Override
        public String toString() {
            return file;
        }
    }

    static Path directory() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(RELATIVE);
            if (Files.isRegularFile(candidate.resolve("manifest.tsv"))) {
                return candidate;
            }
        }
        return fail("no " + RELATIVE.resolve("manifest.tsv") + " in " + start + " or any directory above it: the"
                + " linearizability test data must be checked out beside the repository");
    }

    static List<Entry> manifest() {
        try {
            List<String> lines = Files.readAllLines(directory().resolve("manifest.tsv"));
            return lines.stream().skip(1).map(RecordedHistories::entry).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Entry entry(String line) {
        String[] f = line.split("\t");
        if (f.length != 12 || !(f[2].equals("linearizable") || f[2].equals("not-linearizable"))) {
            throw new IllegalArgumentException("bad manifest line: " + line);
        }
        return new Entry(
                f[0],
                f[1],
                f[2].equals("linearizable"),
                Integer.parseInt(f[3]),
                Integer.parseInt(f[4]),
                Integer.parseInt(f[5]),
                Integer.parseInt(f[6]),
                parseCount(f[7]),
                parseCount(f[8]));
    }

    private static int parseCount(String field) {
        return field.equals("-") ? 0 : Integer.parseInt(field);
    }
}
