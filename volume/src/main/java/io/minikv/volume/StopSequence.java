package io.minikv.volume;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a server started, in order, and how to stop it: everything is stopped in the reverse order,
 * so that a store closes only after the servers that use it have finished. A failure to stop one
 * part is logged and the others are still stopped.
 */
public final class StopSequence {
    private static final Logger LOG = LoggerFactory.getLogger(StopSequence.class);

    /** How to stop one part. */
    @FunctionalInterface
    public interface Stopper {
        void stop() throws Exception;
    }

    private record Part(String name, Stopper stopper) {}

    private final Deque<Part> parts = new ArrayDeque<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private boolean stopping;

    /** Records a part that was started; it is stopped before every part added earlier. */
    public synchronized void add(String name, Stopper stopper) {
        parts.push(new Part(name, stopper));
    }

    /**
     * Stops every part, newest first. Returns true for the call that stopped them; any other call
     * waits until they are stopped and returns false.
     */
    public boolean stop() {
        boolean first;
        synchronized (this) {
            first = !stopping;
            stopping = true;
        }
        if (!first) {
            awaitStopped();
            return false;
        }
        while (!parts.isEmpty()) {
            Part part = parts.pop();
            try {
                part.stopper().stop();
            } catch (Exception e) {
                LOG.error("stopping the {} failed: {}", part.name(), e.toString());
            }
        }
        stopped.countDown();
        return true;
    }

    /** Waits until {@link #stop} has finished. */
    public void awaitStopped() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
