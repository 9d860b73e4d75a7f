package io.minikv.checker;

import java.util.Optional;

/**
 * A map from string keys to strings with get, put and append, as in the MIT 6.824 key-value lab. Keys are
 * independent, so the model is {@linkplain #partitionedByKey() partitioned by key} and its state is the value of
 * one key: {@code ""} before any write (a key never written reads as {@code ""}; there is no separate "absent").
 *
 * <ul>
 *   <li>a get is legal only if it returns exactly the current value;
 *   <li>a put is always legal and sets the value; an append is always legal and concatenates to it;
 *   <li>a put or append whose outcome is unknown does the same when it takes effect.
 * </ul>
 */
public final class KvModel implements Model<String, KvInput, KvOutput> {
    @Override
    public String initialState() {
        return "";
    }

    @Override
    public Optional<String> step(String state, KvInput input, KvOutput output) {
        return switch (input) {
            case KvInput.Get() -> {
                if (!(output instanceof KvOutput.Value(String value))) {
                    throw new IllegalArgumentException(input + " cannot return " + output);
                }
                yield value.equals(state) ? Optional.of(state) : Optional.empty();
            }
            case KvInput.Put _, KvInput.Append _ -> {
                if (!(output instanceof KvOutput.Done)) {
                    throw new IllegalArgumentException(input + " cannot return " + output);
                }
                yield stepUnknown(state, input);
            }
        };
    }

    @Override
    public Optional<String> stepUnknown(String state, KvInput input) {
        return Optional.of(
                switch (input) {
                    case KvInput.Get() -> state;
                    case KvInput.Put(String value) -> value;
                    case KvInput.Append(String value) -> state + value;
                });
    }

    @Override
    public boolean partitionedByKey() {
        return true;
    }
}
