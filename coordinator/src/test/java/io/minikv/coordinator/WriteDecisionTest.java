package io.minikv.coordinator;

import static io.minikv.coordinator.PrepareResult.FAILED;
import static io.minikv.coordinator.PrepareResult.PREPARED;
import static io.minikv.coordinator.PrepareResult.TIMED_OUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WriteDecisionTest {
    private static final List<String> CHOSEN = List.of("a", "b", "c");

    private static Map<String, PrepareResult> answers(String spec) {
        Map<String, PrepareResult> answers = new HashMap<>();
        for (int i = 0; i < spec.length(); i++) {
            switch (spec.charAt(i)) {
                case 'P' -> answers.put(CHOSEN.get(i), PREPARED);
                case 'F' -> answers.put(CHOSEN.get(i), FAILED);
                case 'T' -> answers.put(CHOSEN.get(i), TIMED_OUT);
                default -> {} // '-': no answer at all
            }
        }
        return answers;
    }

    /** Answers of a, b, c (P prepared, F failed, T timed out, - missing), W, then the outcome. */
    @ParameterizedTest(name = "{0} with W={1} -> {2}")
    @CsvSource({
        "PPP, 2, commit a b c, ''",
        "PPF, 2, commit a b, c",
        "PTP, 2, commit a c, b",
        "P-P, 2, commit a c, b",
        "PFT, 2, abort, a b c",
        "FFF, 2, abort, a b c",
        "PPF, 3, abort, a b c",
        "PFF, 1, commit a, b c",
        "---, 1, abort, a b c",
    })
    void commitsExactlyWhenTheQuorumPrepared(String spec, int quorum, String outcome, String abortOn) {
        WriteDecision decision = WriteDecision.decide(CHOSEN, answers(spec), quorum);
        List<String> expectedAborts = abortOn.isBlank() ? List.of() : List.of(abortOn.split(" "));
        if (outcome.startsWith("commit")) {
            assertThat(decision).isInstanceOfSatisfying(WriteDecision.Commit.class, commit -> {
                assertThat(commit.replicas())
                        .containsExactly(outcome.substring(7).split(" "));
                assertThat(commit.abortOn()).containsExactlyElementsOf(expectedAborts);
            });
        } else {
            assertThat(decision)
                    .isInstanceOfSatisfying(
                            WriteDecision.Abort.class,
                            abort -> assertThat(abort.abortOn()).containsExactlyElementsOf(expectedAborts));
        }
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "2, 2", "3, 2", "4, 3", "5, 3"})
    void defaultQuorumIsAMajority(int replicas, int quorum) {
        assertThat(WriteDecision.defaultQuorum(replicas)).isEqualTo(quorum);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void quorumBelowOneIsRefused(int quorum) {
        assertThatThrownBy(() -> WriteDecision.decide(CHOSEN, Map.of(), quorum))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
