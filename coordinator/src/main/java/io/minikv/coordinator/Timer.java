package io.minikv.coordinator;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task once a delay is over. The leader's short waits (a round's linger, its Commits' grace)
 * go through it, so that tests can run the task when they choose rather than sleep.
 */
@FunctionalInterface
interface Timer {
    /**
     * One platform thread that runs every task itself when its delay is over, so tasks must be short
     * and never block. A virtual thread parked for the delay wakes the JDK's timer thread as often,
     * then needs a carrier thread woken to run the task: a hand-off more, about twice a round on the
     * leader (docs/benchmarks.md, session 27).
     */
    Timer PLATFORM_THREAD = new Timer() {
        private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("minikv-timer").daemon().factory());

        @Override
        public void after(Duration delay, Runnable task) {
            thread.schedule(
                    () -> {
                        try {
                            task.run();
                        } catch (RuntimeException | Error e) {
                            Thread current = Thread.currentThread();
                            current.getUncaughtExceptionHandler().uncaughtException(current, e);
                        }
                    },
                    delay.toNanos(),
                    TimeUnit.NANOSECONDS);
        }
    };

    void after(Duration delay, Runnable task);
}
