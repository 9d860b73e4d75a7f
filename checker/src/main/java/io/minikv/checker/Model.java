package io.minikv.checker;

import java.util.Optional;

/**
 * The sequential specification a history is checked against: a state machine where each operation, applied to a
 * state with the output it returned, is either legal (and gives the next state) or illegal.
 *
 * <p>Implementations must be pure and thread-safe: the checker calls them from several threads at once, many
 * times for the same arguments. States must be immutable values with proper {@code equals} and {@code hashCode}:
 * the checker caches (placed operations, state) configurations and treats equal states as interchangeable.
 *
 * @param <S> the state
 * @param <I> an operation's input
 * @param <O> an operation's output
 */
public interface Model<S, I, O> {
    /** The state before any operation. */
    S initialState();

    /**
     * Applies an operation that returned {@code output}: the next state, or empty when the operation could not
     * have returned that output in {@code state}.
     */
    Optional<S> step(S state, I input, O output);

    /**
     * Applies an operation whose outcome is unknown, at a moment where it took effect: the next state, or empty
     * when it cannot take effect in {@code state}. The checker also considers that the operation never took
     * effect, so this only describes what it does when it does happen; an operation that would merely fail here
     * may return {@code state} unchanged.
     */
    Optional<S> stepUnknown(S state, I input);

    /**
     * Whether operations on different {@linkplain Operation#key() keys} never affect each other, so that a
     * history is linearizable exactly when each key's sub-history is, starting from {@link #initialState()}.
     * Defaults to false: the whole history is one partition.
     */
    default boolean partitionedByKey() {
        return false;
    }
}
