package io.minikv.checker;

import java.util.Objects;

/** A call on one key of a {@link BlobModel blob store}. The key is the operation's {@link Operation#key()}. */
public sealed interface BlobInput {
    /**
     * Stores a blob under the key, replacing any previous one.
     *
     * @param value the blob's identity: its contents, or a digest of them, unique per put in a test
     */
    record Put(String value) implements BlobInput {
        public Put {
            Objects.requireNonNull(value, "value");
        }
    }

    /** Reads the blob stored under the key. */
    record Get() implements BlobInput {}

    /** Removes the key's blob; deleting a missing key is not an error. */
    record Delete() implements BlobInput {}
}
