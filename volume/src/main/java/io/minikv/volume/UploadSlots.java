package io.minikv.volume;

import io.minikv.proto.MinikvException;
import java.util.concurrent.Semaphore;

/**
 * Bounds the uploads a server receives at once: a volume's prepares and uploads, a coordinator's
 * puts. Beyond the bound an upload is refused at once (503, UNAVAILABLE), not queued: a client that
 * retries later costs less than a queue of open connections, each holding buffered data.
 */
public final class UploadSlots {
    private final int limit;
    private final Semaphore free;

    public UploadSlots(int limit) {
        this.limit = limit;
        this.free = new Semaphore(limit);
    }

    /**
     * Takes a slot; close the returned slot when the upload ends.
     *
     * @throws MinikvException.Unavailable when every slot is taken
     */
    public Slot take() {
        if (!free.tryAcquire()) {
            throw new MinikvException.Unavailable(
                    "too many concurrent uploads (the limit is " + limit + "); retry later");
        }
        return new Slot();
    }

    public int inUse() {
        return limit - free.availablePermits();
    }

    public final class Slot implements AutoCloseable {
        private boolean released;

        private Slot() {}

        @Override
        public void close() {
            if (!released) {
                released = true;
                free.release();
            }
        }
    }
}
