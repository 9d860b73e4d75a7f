package io.minikv.checker;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * One integer register with read, write and compare-and-set, as in Jepsen's etcd tests. The state is the value,
 * or empty before the first write (which is also the initial state).
 *
 * <ul>
 *   <li>a read is legal only if it returns the current value (empty matches only empty);
 *   <li>a write is always legal and sets the value;
 *   <li>a successful compare-and-set is legal only if the value equals {@code expected}, and sets {@code update};
 *   <li>a failed compare-and-set is legal only if the value differs from {@code expected} (empty differs from
 *       every value), and changes nothing;
 *   <li>an operation whose outcome is unknown does what it would do in the state where it takes effect: a write
 *       sets the value, a compare-and-set swaps if it matches and otherwise changes nothing.
 * </ul>
 */
public final class RegisterModel implements Model<OptionalInt, RegisterInput, RegisterOutput> {
    @Override
    public OptionalInt initialState() {
        return OptionalInt.empty();
    }

    @Override
    public Optional<OptionalInt> step(OptionalInt state, RegisterInput input, RegisterOutput output) {
        return switch (input) {
            case RegisterInput.Read() -> {
                if (!(output instanceof RegisterOutput.ReadResult(OptionalInt value))) {
                    throw mismatch(input, output);
                }
                yield value.equals(state) ? Optional.of(state) : Optional.empty();
            }
            case RegisterInput.Write(int value) -> {
                if (!(output instanceof RegisterOutput.WriteOk)) {
                    throw mismatch(input, output);
                }
                yield Optional.of(OptionalInt.of(value));
            }
            case RegisterInput.Cas(int expected, int update) ->
                switch (output) {
                    case RegisterOutput.CasOk() ->
                        holds(state, expected) ? Optional.of(OptionalInt.of(update)) : Optional.empty();
                    case RegisterOutput.CasFailed() -> holds(state, expected) ? Optional.empty() : Optional.of(state);
                    default -> throw mismatch(input, output);
                };
        };
    }

    @Override
    public Optional<OptionalInt> stepUnknown(OptionalInt state, RegisterInput input) {
        return Optional.of(
                switch (input) {
                    case RegisterInput.Read() -> state;
                    case RegisterInput.Write(int value) -> OptionalInt.of(value);
                    case RegisterInput.Cas(int expected, int update) ->
                        holds(state, expected) ? OptionalInt.of(update) : state;
                });
    }

    private static boolean holds(OptionalInt state, int value) {
        return state.isPresent() && state.getAsInt() == value;
    }

    private static IllegalArgumentException mismatch(RegisterInput input, RegisterOutput output) {
        return new IllegalArgumentException(input + " cannot return " + output);
    }
}
