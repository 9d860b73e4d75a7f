package io.minikv.checker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {
    private static final Duration GENEROUS = Duration.ofSeconds(30);

    private final RegisterModel register = new RegisterModel();

    @Test
    void anEmptyHistoryIsLinearizable() {
        assertThat(LinearizabilityChecker.check(register, List.of(), GENEROUS)).isEqualTo(new Verdict.Linearizable());
    }

    @Test
    void aHardHistoryGivesUnknownWhenTimeRunsOut() {
        Verdict verdict = LinearizabilityChecker.check(
                register, concurrentWritesThenAForeignRead("", 26), Duration.ofMillis(200));

        assertThat(verdict).isInstanceOfSatisfying(Verdict.Unknown.class, unknown -> {
            assertThat(unknown.undecidedKeys()).containsExactly("");
            assertThat(unknown.reason()).isEqualTo("no decision within PT0.2S");
        });
    }

    @Test
    void aSearchThatOutgrowsItsMemoryBoundGivesUnknown() {
        Verdict verdict =
                LinearizabilityChecker.check(register, concurrentWritesThenAForeignRead("", 26), GENEROUS, 50_000);

        assertThat(verdict)
                .isInstanceOfSatisfying(
                        Verdict.Unknown.class,
                        unknown -> assertThat(unknown.reason()).contains("memory bound of 50000 configurations"));
    }

    @Test
    void anInterruptedCheckGivesUnknownAndKeepsTheInterrupt() {
        Thread.currentThread().interrupt();
        try {
            Verdict verdict =
                    LinearizabilityChecker.check(register, concurrentWritesThenAForeignRead("", 26), GENEROUS);

            assertThat(verdict).isEqualTo(new Verdict.Unknown("interrupted", List.of("")));
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void theSameKindOfHistoryIsDecidedWhenSmall() {
        // Proves that the hard history above is really not linearizable: Unknown is not hiding a wrong answer.
        assertThat(LinearizabilityChecker.check(register, concurrentWritesThenAForeignRead("", 8), GENEROUS))
                .isInstanceOf(Verdict.NotLinearizable.class);
    }

    @Test
    void aTinyTimeoutOnTheLargestRecordedHistoryGivesUnknown() throws IOException {
        List<Operation<KvInput, KvOutput>> history =
                KvLog.parse(Files.readAllLines(RecordedHistories.directory().resolve("kv/c50-ok.txt")));

        assertThat(LinearizabilityChecker.check(new KvModel(), history, Duration.ofMillis(1)))
                .isInstanceOf(Verdict.Unknown.class);
    }

    @Test
    void aFailingPartitionIsFoundWhileLargerOnesAreStillUndecided() {
        // Three partitions that would take far longer than the timeout, and a larger one that fails after a
        // short search: the searches take turns, so the failure is found and stops the others.
        Model<OptionalInt, RegisterInput, RegisterOutput> byKey = new PartitionedRegister();
        List<Operation<RegisterInput, RegisterOutput>> history = new ArrayList<>();
        for (String key : List.of("hard1", "hard2", "hard3")) {
            history.addAll(concurrentWritesThenAForeignRead(key, 26));
        }
        for (int i = 0; i < 40; i++) {
            history.add(Operation.completed(
                    9, "bad", new RegisterInput.Write(i), new RegisterOutput.WriteOk(), 10 * i, 10 * i + 5));
        }
        history.add(read("bad", 1000, 1010, 3));

        Verdict verdict = LinearizabilityChecker.check(byKey, history, Duration.ofSeconds(20));

        assertThat(verdict).isInstanceOfSatisfying(Verdict.NotLinearizable.class, failure -> {
            assertThat(failure.key()).isEqualTo("bad");
            assertThat(failure.longestPrefix()).hasSize(40);
            assertThat(failure.stateAfterPrefix()).isEqualTo(OptionalInt.of(39));
            assertThat(failure.unplaceable()).containsExactly(history.getLast());
        });
    }

    @Test
    void anOperationOfUnknownOutcomeMayTakeEffectAnyTimeAfterItsCallOrNever() {
        Operation<RegisterInput, RegisterOutput> timedOutWrite =
                Operation.unknownOutcome(0, "", new RegisterInput.Write(1), 0);

        assertThat(check(timedOutWrite, read("", 10, 20, 1), read("", 30, 40, 1)))
                .isEqualTo(new Verdict.Linearizable());
        assertThat(check(timedOutWrite, readAbsent(10, 20), read("", 30, 40, 1)))
                .isEqualTo(new Verdict.Linearizable());
        assertThat(check(timedOutWrite, readAbsent(10, 20), readAbsent(30, 40))).isEqualTo(new Verdict.Linearizable());
        assertThat(check(timedOutWrite, read("", 10, 20, 1), readAbsent(30, 40)))
                .isInstanceOf(Verdict.NotLinearizable.class);
        assertThat(check(read("", 0, 5, 1), Operation.unknownOutcome(0, "", new RegisterInput.Write(1), 10)))
                .isInstanceOf(Verdict.NotLinearizable.class);
    }

    @Test
    void operationsWithEqualTimesAreConcurrent() {
        // The read was called at the very reading the write returned at: either order is possible.
        Operation<RegisterInput, RegisterOutput> write =
                Operation.completed(0, "", new RegisterInput.Write(1), new RegisterOutput.WriteOk(), 0, 10);

        assertThat(check(write, readAbsent(10, 20))).isEqualTo(new Verdict.Linearizable());
        assertThat(check(write, readAbsent(11, 20))).isInstanceOf(Verdict.NotLinearizable.class);
    }

    @Test
    void aModelThatIsNotPartitionedSeesEveryKeyAsOneObject() {
        Operation<RegisterInput, RegisterOutput> write =
                Operation.completed(0, "a", new RegisterInput.Write(1), new RegisterOutput.WriteOk(), 0, 10);

        assertThat(check(write, read("b", 20, 30, 1))).isEqualTo(new Verdict.Linearizable());
        assertThat(LinearizabilityChecker.check(
                        new PartitionedRegister(), List.of(write, read("b", 20, 30, 1)), GENEROUS))
                .isInstanceOf(Verdict.NotLinearizable.class);
    }

    @Test
    void theExplanationShowsThePrefixAndTheOperationsThatCannotComeNext() {
        Verdict verdict = check(
                Operation.completed(0, "", new RegisterInput.Write(1), new RegisterOutput.WriteOk(), 0, 10),
                Operation.completed(1, "", new RegisterInput.Cas(1, 2), new RegisterOutput.CasOk(), 20, 30),
                Operation.completed(2, "", new RegisterInput.Cas(1, 3), new RegisterOutput.CasOk(), 25, 40));

        assertThat(verdict)
                .isInstanceOfSatisfying(
                        Verdict.NotLinearizable.class,
                        failure -> assertThat(failure.explanation()).isEqualTo("""
                        not linearizable: the longest linearizable prefix has 2 operations, ending in state OptionalInt[2]
                          client 0: Write[value=1] -> WriteOk[] [0, 10]
                          client 1: Cas[expected=1, update=2] -> CasOk[] [20, 30]
                        none of these can come next:
                          client 2: Cas[expected=1, update=3] -> CasOk[] [25, 40]
                        """));
    }

    @Test
    void whatTheModelThrowsReachesTheCaller() {
        Operation<RegisterInput, RegisterOutput> nonsense =
                Operation.completed(0, "", new RegisterInput.Read(), new RegisterOutput.WriteOk(), 0, 10);

        assertThatThrownBy(() -> check(nonsense)).isInstanceOf(IllegalArgumentException.class);
        List<Operation<RegisterInput, RegisterOutput>> manyKeys = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            manyKeys.add(
                    Operation.completed(0, "k" + i, new RegisterInput.Read(), new RegisterOutput.WriteOk(), 0, 10));
        }
        assertThatThrownBy(() -> LinearizabilityChecker.check(new PartitionedRegister(), manyKeys, GENEROUS))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anOperationNeedsAConsistentOutcome() {
        assertThatThrownBy(() -> Operation.completed(
                        0, "", new RegisterInput.Write(1), new RegisterOutput.WriteOk(), 0, Long.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() ->
                        Operation.completed(0, "", new RegisterInput.Write(1), new RegisterOutput.WriteOk(), 10, 9))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Operation.unknownOutcome(0, "", new RegisterInput.Write(1), 10)
                        .outcomeUnknown())
                .isTrue();
    }

    /**
     * {@code writers} writes of distinct values, all concurrent, then a read of a value none of them wrote: not
     * linearizable, but the search must try every subset of the writes first (n 2^(n-1) configurations).
     */
    private static List<Operation<RegisterInput, RegisterOutput>> concurrentWritesThenAForeignRead(
            String key, int writers) {
        List<Operation<RegisterInput, RegisterOutput>> history = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            history.add(Operation.completed(
                    i, key, new RegisterInput.Write(i + 1), new RegisterOutput.WriteOk(), i, 1000 + i));
        }
        history.add(read(key, 2000, 2010, 0));
        return history;
    }

    private static Operation<RegisterInput, RegisterOutput> read(String key, long call, long ret, int value) {
        return Operation.completed(
                100, key, new RegisterInput.Read(), new RegisterOutput.ReadResult(OptionalInt.of(value)), call, ret);
    }

    private static Operation<RegisterInput, RegisterOutput> readAbsent(long call, long ret) {
        return Operation.completed(
                100, "", new RegisterInput.Read(), new RegisterOutput.ReadResult(OptionalInt.empty()), call, ret);
    }

    @SafeVarargs
    private Verdict check(Operation<RegisterInput, RegisterOutput>... history) {
        List<Operation<RegisterInput, RegisterOutput>> operations = new ArrayList<>();
        for (Operation<RegisterInput, RegisterOutput> op : history) {
            operations.add(op);
        }
        return LinearizabilityChecker.check(register, operations, GENEROUS);
    }

    /** One independent register per key. */
    private static final class PartitionedRegister implements Model<OptionalInt, RegisterInput, RegisterOutput> {
        private final RegisterModel register = new RegisterModel();

        @Override
        public OptionalInt initialState() {
            return register.initialState();
        }

        @Override
        public java.util.Optional<OptionalInt> step(OptionalInt state, RegisterInput input, RegisterOutput output) {
            return register.step(state, input, output);
        }

        @Override
        public java.util.Optional<OptionalInt> stepUnknown(OptionalInt state, RegisterInput input) {
            return register.stepUnknown(state, input);
        }

        @Override
        public boolean partitionedByKey() {
            return true;
        }
    }
}
