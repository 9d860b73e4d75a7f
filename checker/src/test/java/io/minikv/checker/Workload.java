package io.minikv.checker;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SplittableRandom;

/**
 * Random operations for one model, for {@link HistoryGenerator}: inputs, the output an input truly returns in a
 * state, and a wrong output to plant in a history.
 */
interface Workload<S, I, O> {
    Model<S, I, O> model();

    I input(SplittableRandom random);

    /** What {@code input} returns when it takes effect in {@code state}. */
    O output(S state, I input);

    /**
     * An output that {@code input} might plausibly have returned but did not: a value the key held at some
     * earlier point (a stale read), one it never held, or the opposite result. Empty when the input has only one
     * possible output.
     */
    Optional<O> wrongOutput(I input, O output, List<S> earlierStates, SplittableRandom random);

    static Workload<OptionalInt, RegisterInput, RegisterOutput> register() {
        return new Workload<>() {
            private final RegisterModel model = new RegisterModel();

            @Override
            public Model<OptionalInt, RegisterInput, RegisterOutput> model() {
                return model;
            }

            @Override
            public RegisterInput input(SplittableRandom random) {
                return switch (random.nextInt(3)) {
                    case 0 -> new RegisterInput.Read();
                    case 1 -> new RegisterInput.Write(random.nextInt(4));
                    default -> new RegisterInput.Cas(random.nextInt(4), random.nextInt(4));
                };
            }

            @Override
            public RegisterOutput output(OptionalInt state, RegisterInput input) {
                return switch (input) {
                    case RegisterInput.Read() -> new RegisterOutput.ReadResult(state);
                    case RegisterInput.Write _ -> new RegisterOutput.WriteOk();
                    case RegisterInput.Cas(int expected, int update) ->
                        state.equals(OptionalInt.of(expected))
                                ? new RegisterOutput.CasOk()
                                : new RegisterOutput.CasFailed();
                };
            }

            @Override
            public Optional<RegisterOutput> wrongOutput(
                    RegisterInput input,
                    RegisterOutput output,
                    List<OptionalInt> earlierStates,
                    SplittableRandom random) {
                return switch (output) {
                    case RegisterOutput.ReadResult(OptionalInt value) -> {
                        OptionalInt other = random.nextBoolean()
                                ? earlierStates.get(random.nextInt(earlierStates.size()))
                                : OptionalInt.of(random.nextInt(6));
                        yield other.equals(value)
                                ? Optional.empty()
                                : Optional.of(new RegisterOutput.ReadResult(other));
                    }
                    case RegisterOutput.CasOk() -> Optional.of(new RegisterOutput.CasFailed());
                    case RegisterOutput.CasFailed() -> Optional.of(new RegisterOutput.CasOk());
                    case RegisterOutput.WriteOk() -> Optional.empty();
                };
            }
        };
    }

    static Workload<String, KvInput, KvOutput> kv() {
        return new Workload<>() {
            private final KvModel model = new KvModel();
            private int counter;

            @Override
            public Model<String, KvInput, KvOutput> model() {
                return model;
            }

            @Override
            public KvInput input(SplittableRandom random) {
                return switch (random.nextInt(3)) {
                    case 0 -> new KvInput.Get();
                    case 1 -> new KvInput.Put(random.nextInt(8) == 0 ? "" : "p" + counter++);
                    default -> new KvInput.Append(random.nextInt(8) == 0 ? "" : "a" + counter++);
                };
            }

            @Override
            public KvOutput output(String state, KvInput input) {
                return input instanceof KvInput.Get ? new KvOutput.Value(state) : new KvOutput.Done();
            }

            @Override
            public Optional<KvOutput> wrongOutput(
                    KvInput input, KvOutput output, List<String> earlierStates, SplittableRandom random) {
                if (!(output instanceof KvOutput.Value(String value))) {
                    return Optional.empty();
                }
                String other = random.nextBoolean()
                        ? earlierStates.get(random.nextInt(earlierStates.size()))
                        : "never written " + random.nextInt(3);
                return other.equals(value) ? Optional.empty() : Optional.of(new KvOutput.Value(other));
            }
        };
    }

    static Workload<Optional<String>, BlobInput, BlobOutput> blob() {
        return new Workload<>() {
            private final BlobModel model = new BlobModel();
            private int counter;

            @Override
            public Model<Optional<String>, BlobInput, BlobOutput> model() {
                return model;
            }

            @Override
            public BlobInput input(SplittableRandom random) {
                int choice = random.nextInt(10);
                return choice < 4
                        ? new BlobInput.Get()
                        : choice < 8 ? new BlobInput.Put("v" + counter++) : new BlobInput.Delete();
            }

            @Override
            public BlobOutput output(Optional<String> state, BlobInput input) {
                return input instanceof BlobInput.Get
                        ? state.<BlobOutput>map(BlobOutput.Found::new).orElse(new BlobOutput.NotFound())
                        : new BlobOutput.Done();
            }

            @Override
            public Optional<BlobOutput> wrongOutput(
                    BlobInput input, BlobOutput output, List<Optional<String>> earlierStates, SplittableRandom random) {
                if (output instanceof BlobOutput.Done) {
                    return Optional.empty();
                }
                Optional<String> other = random.nextBoolean()
                        ? earlierStates.get(random.nextInt(earlierStates.size()))
                        : Optional.of("never written " + random.nextInt(3));
                BlobOutput wrong = other.<BlobOutput>map(BlobOutput.Found::new).orElse(new BlobOutput.NotFound());
                return wrong.equals(output) ? Optional.empty() : Optional.of(wrong);
            }
        };
    }
}
