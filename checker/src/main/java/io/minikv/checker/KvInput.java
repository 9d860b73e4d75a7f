package io.minikv.checker;

import java.util.Objects;

/** A call on one key of a {@link KvModel key-value map}. The key is the operation's {@link Operation#key()}. */
public sealed interface KvInput {
    /** Reads the key's value. */
    record Get() implements KvInput {}

    /** Sets the key's value. */
    record Put(String value) implements KvInput {
        public Put {
            Objects.requireNonNull(value, "value");
        }
    }

    /** Appends to the key's value. */
    record Append(String value) implements KvInput {
        public Append {
            Objects.requireNonNull(value, "value");
        }
    }
}
