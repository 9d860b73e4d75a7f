package io.minikv.checker;

import java.util.Optional;

/**
 * minikv's blob API as a sequential object: per key, put, get and delete. Keys are independent, so the model is
 * {@linkplain #partitionedByKey() partitioned by key}; its state is the identity of the key's current blob, or
 * empty when there is none (the initial state).
 *
 * <ul>
 *   <li>an acknowledged put is legal in any state and makes its value current;
 *   <li>a get that found a value is legal only if that value is current; a get that found nothing only if no
 *       blob is current;
 *   <li>an acknowledged delete is legal in any state (deletes are idempotent) and removes the blob.
 * </ul>
 *
 * <p>Record a put or delete whose outcome is unknown (a client timeout, a broken connection, a 5xx that may have
 * come after the commit point) with {@link Operation#unknownOutcome}: it may have taken effect at any moment
 * after its call, or never, and a later get may see it or not. A get that failed observed nothing; leave it
 * out of the history. Values are compared by identity only, so each put in a test should store a distinct value.
 */
public final class BlobModel implements Model<Optional<String>, BlobInput, BlobOutput> {
    @Override
    public Optional<String> initialState() {
        return Optional.empty();
    }

    @Override
    public Optional<Optional<String>> step(Optional<String> state, BlobInput input, BlobOutput output) {
        return switch (input) {
            case BlobInput.Get() ->
                switch (output) {
                    case BlobOutput.Found(String value) ->
                        state.equals(Optional.of(value)) ? Optional.of(state) : Optional.empty();
                    case BlobOutput.NotFound() -> state.isEmpty() ? Optional.of(state) : Optional.empty();
                    case BlobOutput.Done() -> throw new IllegalArgumentException(input + " cannot return " + output);
                };
            case BlobInput.Put _, BlobInput.Delete _ -> {
                if (!(output instanceof BlobOutput.Done)) {
                    throw new IllegalArgumentException(input + " cannot return " + output);
                }
                yield stepUnknown(state, input);
            }
        };
    }

    @Override
    public Optional<Optional<String>> stepUnknown(Optional<String> state, BlobInput input) {
        return Optional.of(
                switch (input) {
                    case BlobInput.Get() -> state;
                    case BlobInput.Put(String value) -> Optional.of(value);
                    case BlobInput.Delete() -> Optional.empty();
                });
    }

    @Override
    public boolean partitionedByKey() {
        return true;
    }
}
