package io.minikv.storage;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Silences the engine's log for a test class whose injected crashes and I/O errors make it log
 * hundreds of expected errors; restores the level afterwards.
 */
final class QuietEngineLog implements BeforeAllCallback, AfterAllCallback {
    /** Held so that the level sticks: java.util.logging keeps loggers weakly. */
    private static final Logger ENGINE_LOG = Logger.getLogger("io.minikv.storage");

    private Level previous;

    @Override
    public void beforeAll(ExtensionContext context) {
        previous = ENGINE_LOG.getLevel();
        ENGINE_LOG.setLevel(Level.OFF);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ENGINE_LOG.setLevel(previous);
    }
}
