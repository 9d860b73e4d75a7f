package io.minikv.storage;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Paces compaction's I/O at a number of bytes per second, so that it does not starve foreground
 * reads and writes. A rate of 0 means no limit. One thread uses an instance.
 */
final class RateLimiter {
    /** Sleeps for the given nanoseconds. */
    @FunctionalInterface
    interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private final long bytesPerSecond;
    private final LongSupplier nanoClock;
    private final Sleeper sleeper;
    private long nextFreeNanos;

    RateLimiter(long bytesPerSecond) {
        this(bytesPerSecond, System::nanoTime, TimeUnit.NANOSECONDS::sleep);
    }

    RateLimiter(long bytesPerSecond, LongSupplier nanoClock, Sleeper sleeper) {
        this.bytesPerSecond = bytesPerSecond;
        this.nanoClock = nanoClock;
        this.sleeper = sleeper;
        this.nextFreeNanos = nanoClock.getAsLong();
    }

    /** Accounts for {@code bytes} of I/O, sleeping first if the budget is spent. */
    void acquire(long bytes) throws InterruptedException {
        if (bytesPerSecond <= 0) {
            return;
        }
        long now = nanoClock.getAsLong();
        // Idle time earns no more than one second of burst.
        nextFreeNanos = Math.max(nextFreeNanos, now - TimeUnit.SECONDS.toNanos(1));
        long wait = nextFreeNanos - now;
        if (wait > 0) {
            sleeper.sleepNanos(wait);
        }
        nextFreeNanos += (long) (bytes * (1e9 / bytesPerSecond));
    }
}
