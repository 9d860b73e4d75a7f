package io.minikv.coordinator;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a task once a delay is over. The leader's short waits (a round's linger, its Commits' grace)
 * go through it, so that tests can run the task when they choose rather than sleep.
 */
@FunctionalInterface
interface Timer {
    /** A virtual thread per task that parks for the delay: cheap for delays of milliseconds. */
    Timer VIRTUAL_THREADS = (delay, task) -> Thread.ofVirtual().start(() -> {
        LockSupport.parkNanos(delay.toNanos());
        task.run();
    });

    void after(Duration delay, Runnable task);
}
