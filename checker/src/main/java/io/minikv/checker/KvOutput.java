package io.minikv.checker;

import java.util.Objects;

/** What a call on a {@link KvModel key-value map} returned. */
public sealed interface KvOutput {
    /** A get's result; {@code ""} for a key never written. */
    record Value(String value) implements KvOutput {
        public Value {
            Objects.requireNonNull(value, "value");
        }
    }

    /** A put or append took effect. */
    record Done() implements KvOutput {}
}
