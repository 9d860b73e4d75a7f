package io.minikv.client;

/**
 * What a put requires of the key's current state. When it does not hold, the put fails with
 * {@link io.minikv.proto.MinikvException.PreconditionFailed} and changes nothing.
 */
public sealed interface Condition {
    /** No requirement: the put replaces whatever is there. */
    Condition NONE = new None();

    /** The key must not exist (HTTP {@code If-None-Match: *}). */
    static Condition ifAbsent() {
        return new IfAbsent();
    }

    /** The key's current etag must be {@code etag} (HTTP {@code If-Match}), bare, without quotes. */
    static Condition ifMatch(String etag) {
        return new IfMatch(etag);
    }

    record None() implements Condition {}

    record IfAbsent() implements Condition {}

    record IfMatch(String etag) implements Condition {}
}
