package io.minikv.checker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every history of {@code shared/testdata/linearizability/manifest.tsv} gets its known verdict. Prints the time
 * each check took, slowest first, to the test output.
 */
class RecordedHistoriesTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Map<String, Long> CHECK_NANOS = new ConcurrentHashMap<>();

    static List<RecordedHistories.Entry> manifest() {
        return RecordedHistories.manifest();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifest")
    void checkerGivesTheKnownVerdict(RecordedHistories.Entry entry) throws IOException {
        List<String> lines = Files.readAllLines(RecordedHistories.directory().resolve(entry.file()));
        long start = System.nanoTime();
        Verdict verdict = switch (entry.model()) {
            case "etcd-register" -> {
                EtcdLog.History history = EtcdLog.parse(lines);
                assertMatchesManifest(entry, history);
                yield LinearizabilityChecker.check(new RegisterModel(), history.operations(), TIMEOUT);
            }
            case "kv-append" -> {
                List<Operation<KvInput, KvOutput>> history = KvLog.parse(lines);
                assertThat(history).as("operations").hasSize(entry.operations());
                yield LinearizabilityChecker.check(new KvModel(), history, TIMEOUT);
            }
            default -> throw new IllegalArgumentException("unknown model " + entry.model());
        };
        CHECK_NANOS.put(entry.file(), System.nanoTime() - start);

        if (entry.linearizable()) {
            assertThat(verdict).isEqualTo(new Verdict.Linearizable());
        } else {
            assertThat(verdict)
                    .as(() -> verdict instanceof Verdict.NotLinearizable n ? n.explanation() : "")
                    .isInstanceOf(Verdict.NotLinearizable.class);
        }
    }

    private static void assertMatchesManifest(RecordedHistories.Entry entry, EtcdLog.History history) {
        List<Operation<RegisterInput, RegisterOutput>> ops = history.operations();
        assertThat(history.invocations()).as("operations").isEqualTo(entry.operations());
        assertThat(history.readTimeouts()).as("read timeouts").isEqualTo(entry.readTimeouts());
        assertThat(ops.size() + history.readTimeouts()).isEqualTo(entry.operations());
        assertThat(ops.stream().filter(Operation::outcomeUnknown).count())
                .as(":info operations")
                .isEqualTo(entry.infoOps());
        assertThat(ops.stream()
                                .filter(op -> op.input() instanceof RegisterInput.Read)
                                .count()
                        + history.readTimeouts())
                .as("reads")
                .isEqualTo(entry.readsOrGets());
        assertThat(ops.stream().filter(op -> op.input() instanceof RegisterInput.Write))
                .as("writes")
                .hasSize(entry.writesOrPuts());
        assertThat(ops.stream().filter(op -> op.input() instanceof RegisterInput.Cas))
                .as("compare-and-sets")
                .hasSize(entry.casOrAppends());
    }

    @AfterAll
    static void printTimings() {
        long total = CHECK_NANOS.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder text = new StringBuilder();
        text.append(
                String.format("checked %d recorded histories in %.2f s; slowest:%n", CHECK_NANOS.size(), total / 1e9));
        CHECK_NANOS.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(8)
                .forEach(e -> text.append(String.format("  %-20s %8.1f ms%n", e.getKey(), e.getValue() / 1e6)));
        System.out.print(text);
    }
}
