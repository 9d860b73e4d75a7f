package io.minikv.storage;

/** A key outside the engine's limits: 1 to {@value Store#MAX_KEY_LENGTH} bytes. */
public final class InvalidKeyException extends IllegalArgumentException {
    public InvalidKeyException(String message) {
        super(message);
    }
}
