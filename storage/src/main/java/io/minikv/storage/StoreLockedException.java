package io.minikv.storage;

import java.io.IOException;

/** Thrown by {@link Store#open} when another process (or another open Store) holds the directory. */
public final class StoreLockedException extends IOException {
    public StoreLockedException(String message) {
        super(message);
    }
}
