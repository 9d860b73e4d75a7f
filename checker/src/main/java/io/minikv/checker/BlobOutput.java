package io.minikv.checker;

import java.util.Objects;

/** What a call on a {@link BlobModel blob store} returned. */
public sealed interface BlobOutput {
    /** A put or delete was acknowledged. */
    record Done() implements BlobOutput {}

    /** A get found a blob; {@code value} is its identity, as in {@link BlobInput.Put#value()}. */
    record Found(String value) implements BlobOutput {
        public Found {
            Objects.requireNonNull(value, "value");
        }
    }

    /** A get found no blob. */
    record NotFound() implements BlobOutput {}
}
