package io.minikv.checker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The checker on generated histories: executions of the model are linearizable, and on small histories, mutated
 * or not, it agrees with {@link ReferenceChecker}. Runs with a fixed seed; try others (or replay a failure) with -Dminikv.checker.seed=SEED.
 */
class RandomizedHistoriesTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    static Stream<Named<Workload<?, ?, ?>>> workloads() {
        return Stream.of(
                Named.of("register", Workload.register()),
                Named.of("kv", Workload.kv()),
                Named.of("blob", Workload.blob()));
    }

    @ParameterizedTest
    @MethodSource("workloads")
    void executionsOfTheModelAreLinearizable(Workload<?, ?, ?> workload) {
        executionsAreLinearizable(workload);
    }

    @ParameterizedTest
    @MethodSource("workloads")
    void smallHistoriesGetTheBruteForceVerdict(Workload<?, ?, ?> workload) {
        agreesWithBruteForce(workload);
    }

    private static <S, I, O> void executionsAreLinearizable(Workload<S, I, O> workload) {
        long seed = seed();
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 200; round++) {
            HistoryGenerator.Shape shape = HistoryGenerator.Shape.random(random, 150, 4, 5);
            List<Operation<I, O>> history = HistoryGenerator.shuffled(
                    HistoryGenerator.execute(workload, shape, random).history(), random);

            Verdict verdict = LinearizabilityChecker.check(workload.model(), history, TIMEOUT);

            assertThat(verdict)
                    .as("seed %d round %d %s: %s", seed, round, shape, describe(verdict))
                    .isEqualTo(new Verdict.Linearizable());
        }
    }

    private static <S, I, O> void agreesWithBruteForce(Workload<S, I, O> workload) {
        long seed = seed();
        SplittableRandom random = new SplittableRandom(seed);
        int linearizable = 0;
        for (int round = 0; round < 3000; round++) {
            HistoryGenerator.Shape shape = HistoryGenerator.Shape.random(random, 7, 2, 3);
            HistoryGenerator.Execution<S, I, O> execution = HistoryGenerator.execute(workload, shape, random);
            List<Operation<I, O>> history =
                    random.nextInt(5) == 0 ? execution.history() : HistoryGenerator.mutate(execution, workload, random);
            history = HistoryGenerator.shuffled(history, random);
            String context = "seed " + seed + " round " + round + " history " + history;

            boolean expected = ReferenceChecker.isLinearizable(workload.model(), history);
            Verdict verdict = LinearizabilityChecker.check(workload.model(), history, TIMEOUT);

            if (expected) {
                assertThat(verdict).as("%s: %s", context, describe(verdict)).isEqualTo(new Verdict.Linearizable());
            } else {
                assertThat(verdict).as(context).isInstanceOf(Verdict.NotLinearizable.class);
                assertExplanationHolds(workload.model(), (Verdict.NotLinearizable) verdict, context);
            }
            linearizable += expected ? 1 : 0;
        }
        assertThat(linearizable).as("linearizable cases, seed %d", seed).isBetween(300, 2700);
    }

    /** The prefix is a legal sequence in real-time order, and the model rejects every operation said to be stuck. */
    @SuppressWarnings("unchecked")
    private static <S, I, O> void assertExplanationHolds(
            Model<S, I, O> model, Verdict.NotLinearizable failure, String context) {
        S state = model.initialState();
        List<Operation<?, ?>> prefix = failure.longestPrefix();
        for (int i = 0; i < prefix.size(); i++) {
            Operation<I, O> op = (Operation<I, O>) prefix.get(i);
            for (Operation<?, ?> earlier : prefix.subList(0, i)) {
                assertThat(op.returnTime()).as(context).isGreaterThanOrEqualTo(earlier.callTime());
            }
            Optional<S> next = op.output().isPresent()
                    ? model.step(state, op.input(), op.output().get())
                    : model.stepUnknown(state, op.input());
            assertThat(next).as("%s: prefix step %d", context, i).isPresent();
            state = next.orElseThrow();
        }
        assertThat(state).as(context).isEqualTo(failure.stateAfterPrefix());
        assertThat(failure.unplaceable()).as(context).isNotEmpty();
        for (Operation<?, ?> stuck : failure.unplaceable()) {
            Operation<I, O> op = (Operation<I, O>) stuck;
            assertThat(model.step(state, op.input(), op.output().orElseThrow()))
                    .as("%s: %s", context, op)
                    .isEmpty();
        }
    }

    private static String describe(Verdict verdict) {
        return verdict instanceof Verdict.NotLinearizable failure ? failure.explanation() : verdict.toString();
    }

    private static long seed() {
        // A fixed default keeps the build deterministic: a random seed now and then generates a history
        // beyond the checker's memory bound (Unknown, not a wrong verdict). Explore others with the property.
        long seed = Long.getLong("minikv.checker.seed", 20261122L);
        System.out.println("RandomizedHistoriesTest seed " + seed);
        return seed;
    }
}
