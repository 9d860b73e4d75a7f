package io.minikv.checker;

import java.util.Objects;
import java.util.Optional;

/**
 * One call recorded in a concurrent history.
 *
 * <p>Times are readings of one monotonic clock shared by all clients ({@link System#nanoTime()} in the test's
 * JVM, a line number, a logical counter): {@code callTime} just before the request was sent, {@code returnTime}
 * just after its answer arrived. An operation A comes before B in real time exactly when {@code A.returnTime <
 * B.callTime}; equal readings count as concurrent, so a coarse clock can only make the checker more lenient,
 * never report a violation that did not happen.
 *
 * <p>An operation whose outcome is unknown (the client timed out, the connection broke) has no output and a
 * return time of {@link Long#MAX_VALUE}: it may have taken effect at any moment after its call, even after
 * operations that started later, or never. An operation that definitely had no effect and observed nothing (a
 * rejected request, a read that timed out) constrains nothing and is best left out of the history.
 *
 * @param clientId the client (process, thread) that made the call; only used in explanations
 * @param key the partition key: when the model is {@linkplain Model#partitionedByKey() partitioned by key},
 *     operations on different keys are checked independently; otherwise it is ignored
 * @param input what the client asked for
 * @param output what came back, or empty when the outcome is unknown
 * @param callTime when the call started
 * @param returnTime when the answer arrived, or {@link Long#MAX_VALUE} when the outcome is unknown
 */
public record Operation<I, O>(int clientId, String key, I input, Optional<O> output, long callTime, long returnTime) {
    /** The return time of an operation whose outcome is unknown. */
    public static final long UNKNOWN_RETURN = Long.MAX_VALUE;

    public Operation {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        if (output.isEmpty() != (returnTime == UNKNOWN_RETURN)) {
            throw new IllegalArgumentException("an operation has an output exactly when its return time is known: "
                    + output + " at " + returnTime);
        }
        if (returnTime < callTime) {
            throw new IllegalArgumentException("returned at " + returnTime + " before its call at " + callTime);
        }
    }

    /** An operation that returned {@code output} at {@code returnTime}. */
    public static <I, O> Operation<I, O> completed(
            int clientId, String key, I input, O output, long callTime, long returnTime) {
        if (returnTime == UNKNOWN_RETURN) {
            throw new IllegalArgumentException("a completed operation needs a return time before Long.MAX_VALUE");
        }
        return new Operation<>(clientId, key, input, Optional.of(output), callTime, returnTime);
    }

    /** An operation called at {@code callTime} whose outcome is unknown: it took effect later, or never. */
    public static <I, O> Operation<I, O> unknownOutcome(int clientId, String key, I input, long callTime) {
        return new Operation<>(clientId, key, input, Optional.empty(), callTime, UNKNOWN_RETURN);
    }

    /** Whether the outcome is unknown (no output, return time {@link #UNKNOWN_RETURN}). */
    public boolean outcomeUnknown() {
        return returnTime == UNKNOWN_RETURN;
    }

    @Override
    public String toString() {
        String result = output.map(o -> o + " [" + callTime + ", " + returnTime + "]")
                .orElse("outcome unknown [" + callTime + ", ∞)");
        return "client " + clientId + (key.isEmpty() ? "" : " key '" + key + "'") + ": " + input + " -> " + result;
    }
}
