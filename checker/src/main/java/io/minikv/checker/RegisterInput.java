package io.minikv.checker;

/** A call on a {@link RegisterModel register}. */
public sealed interface RegisterInput {
    /** Reads the value. */
    record Read() implements RegisterInput {}

    /** Sets the value. */
    record Write(int value) implements RegisterInput {}

    /** Sets the value to {@code update} if it is {@code expected}. */
    record Cas(int expected, int update) implements RegisterInput {}
}
