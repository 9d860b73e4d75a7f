package io.minikv.volume;

/** The condition a write puts on the key's current version, as HTTP's If-Match and If-None-Match. */
public sealed interface Precondition {
    /** No condition. */
    record None() implements Precondition {}

    /** The key must exist with this etag (hex MD5, no quotes). */
    record IfMatch(String etag) implements Precondition {}

    /** The key must not exist ({@code If-None-Match: *}). */
    record IfAbsent() implements Precondition {}

    Precondition NONE = new None();

    /** Whether the condition holds for the key's current version (null when absent). */
    default boolean holds(BlobInfo current) {
        return switch (this) {
            case None ignored -> true;
            case IfMatch(String etag) -> current != null && current.etag().equals(etag);
            case IfAbsent ignored -> current == null;
        };
    }
}
