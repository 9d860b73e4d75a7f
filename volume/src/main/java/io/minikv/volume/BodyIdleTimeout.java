package io.minikv.volume;

import io.helidon.webserver.http.ServerRequest;
import io.minikv.proto.MinikvException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Gives up on HTTP request bodies whose sender stopped sending: a read that has waited longer than
 * the timeout is interrupted, which closes the connection's channel, and fails with {@link
 * MinikvException.Timeout}. Helidon applies no read timeout to a request body (its socket options'
 * read timeout is not set on the server's NIO channels, and its idle-connection check skips a
 * connection in the middle of a request), so without this a PUT that stops sending would hold its
 * slot, its buffers and its handler for as long as the client keeps the connection open. The gRPC
 * uploads have the same limit in {@link ChunkPipe}.
 *
 * <p>Only reads in progress are tracked, so a body that is never closed leaks nothing. A sweeper
 * thread looks at them four times per timeout, so a stalled read fails after 1 to 1.25 timeouts.
 */
public final class BodyIdleTimeout implements AutoCloseable {
    /** The same as the gRPC uploads' ({@link ChunkPipe#IDLE_TIMEOUT}). */
    public static final Duration DEFAULT = ChunkPipe.IDLE_TIMEOUT;

    private static final long MIN_SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Duration timeout;
    private final long timeoutNanos;
    private final Set<GuardedBody> reading = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService sweeper;

    public BodyIdleTimeout(Duration timeout) {
        if (!timeout.isPositive()) {
            throw new IllegalArgumentException("the body idle timeout must be positive, got " + timeout);
        }
        this.timeout = timeout;
        this.timeoutNanos = timeout.toNanos();
        this.sweeper = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("body-idle-timeout").factory());
        long period = Math.max(timeoutNanos / 4, MIN_SWEEP_NANOS);
        sweeper.scheduleAtFixedRate(this::interruptStalledReads, period, period, TimeUnit.NANOSECONDS);
    }

    /** The request's body, each read of it bounded by the timeout. */
    public InputStream body(ServerRequest request) {
        return guard(request.content().inputStream());
    }

    /** {@code body} with each read bounded by the timeout. */
    InputStream guard(InputStream body) {
        return new GuardedBody(body);
    }

    private void interruptStalledReads() {
        long now = System.nanoTime();
        for (GuardedBody body : reading) {
            body.interruptIfStalled(now);
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }

    /** One read from the underlying stream: a byte, a count of bytes read or of bytes skipped. */
    @FunctionalInterface
    private interface Read {
        long run() throws IOException;
    }

    private final class GuardedBody extends FilterInputStream {
        /** The thread in a read of this body, or null. Guarded by {@code this}. */
        private Thread reader;

        private long readingSince;
        private boolean expired;

        GuardedBody(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            return (int) guarded(in::read);
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            return (int) guarded(() -> in.read(buffer, offset, length));
        }

        @Override
        public long skip(long n) throws IOException {
            return guarded(() -> in.skip(n));
        }

        private long guarded(Read read) throws IOException {
            begin();
            long result;
            try {
                result = read.run();
            } catch (IOException | RuntimeException e) {
                if (end()) {
                    throw stalled(e);
                }
                throw e;
            }
            if (end()) {
                throw stalled(null);
            }
            return result;
        }

        private void begin() {
            synchronized (this) {
                if (expired) {
                    throw stalled(null);
                }
                reader = Thread.currentThread();
                readingSince = System.nanoTime();
            }
            reading.add(this);
        }

        /** Ends the read; true when the sweeper interrupted it. */
        private boolean end() {
            reading.remove(this);
            synchronized (this) {
                reader = null;
                if (!expired) {
                    return false;
                }
                // The interrupt was ours: the thread goes on to fail the request, not to stop.
                Thread.interrupted();
                return true;
            }
        }

        private MinikvException.Timeout stalled(Exception cause) {
            MinikvException.Timeout stalled = new MinikvException.Timeout(
                    "the request body sent nothing for " + timeout.toMillis() + " ms; the connection was closed");
            stalled.initCause(cause);
            return stalled;
        }

        synchronized void interruptIfStalled(long now) {
            if (reader != null && !expired && now - readingSince > timeoutNanos) {
                expired = true;
                reader.interrupt();
            }
        }
    }
}
