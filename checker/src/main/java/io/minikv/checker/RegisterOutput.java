package io.minikv.checker;

import java.util.OptionalInt;

/** What a call on a {@link RegisterModel register} returned. */
public sealed interface RegisterOutput {
    /** A read's result: the value, or empty when the register was never written. */
    record ReadResult(OptionalInt value) implements RegisterOutput {}

    /** A write took effect. */
    record WriteOk() implements RegisterOutput {}

    /** A compare-and-set found the expected value and replaced it. */
    record CasOk() implements RegisterOutput {}

    /**
     * A compare-and-set ran and did not find the expected value, so the register did not change. This is a
     * definite outcome; a compare-and-set that may or may not have run has an unknown outcome instead.
     */
    record CasFailed() implements RegisterOutput {}
}
