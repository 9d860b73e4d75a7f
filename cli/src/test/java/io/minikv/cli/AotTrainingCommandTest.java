package io.minikv.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class AotTrainingCommandTest {
    private static final Pattern OPERATIONS = Pattern.compile("(HTTP|GRPC): (\\d+) operations");

    @Test
    void loadsACoordinatorAndAVolumeOverBothProtocolsAndLeavesNothingBehind() throws IOException {
        List<Path> before = trainingDirectories();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = Main.execute(
                new String[] {"aot-training", "--duration", "1s"},
                new StandardInput(new ByteArrayInputStream(new byte[0]), false),
                OutputStream.nullOutputStream(),
                new PrintWriter(out, true),
                new PrintWriter(err, true));

        assertThat(code).as(err.toString()).isZero();
        Matcher counts = OPERATIONS.matcher(err.toString());
        int protocols = 0;
        while (counts.find()) {
            protocols++;
            assertThat(Long.parseLong(counts.group(2))).as(counts.group()).isGreaterThan(8);
        }
        assertThat(protocols).as(err.toString()).isEqualTo(2);
        assertThat(trainingDirectories()).isEqualTo(before);
    }

    @Test
    void isNotListedInTheHelp() {
        StringWriter out = new StringWriter();
        Main.execute(
                new String[] {"--help"},
                new StandardInput(new ByteArrayInputStream("".getBytes(UTF_8)), false),
                OutputStream.nullOutputStream(),
                new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true));

        assertThat(out.toString()).contains("bench").doesNotContain("aot-training");
    }

    private static List<Path> trainingDirectories() throws IOException {
        try (Stream<Path> entries = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return entries.filter(p -> p.getFileName().toString().startsWith("minikv-aot-training-"))
                    .sorted()
                    .toList();
        }
    }
}
