package io.minikv.volume;

import com.google.protobuf.ByteString;
import io.minikv.proto.MinikvException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Turns chunks arriving on gRPC callbacks into an InputStream for a blocking consumer. Flow
 * control: the pipe asks the sender for one more chunk each time the reader takes one, so only a
 * chunk or two is ever buffered, whatever the blob's size.
 *
 * <p>A sender that stops sending is given up on: a reader that waits longer than the idle timeout
 * for the next chunk gets a {@link MinikvException.Timeout}, so that a call left open does not hold
 * its worker and its buffered chunks for as long as the connection lives.
 */
public final class ChunkPipe extends ChunkStream {
    /** How long the servers wait for an upload's next message (docs/protocol.md, "Limits"). */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

    private static final Object END = new Object();

    /**
     * The sender's call ended (cancelled, or its connection lost) before the upload did. Nobody waits
     * for an answer, so the services report it as CANCELLED rather than as their own failure.
     */
    public static final class UploadCancelled extends IOException {
        UploadCancelled(Throwable cause) {
            super("upload was cancelled: " + cause.getMessage(), cause);
        }
    }

    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Runnable requestNext;
    private final Duration idleTimeout;

    /** {@code requestNext} asks the transport for the next message; the reader waits for it at most {@link #IDLE_TIMEOUT}. */
    public ChunkPipe(Runnable requestNext) {
        this(requestNext, IDLE_TIMEOUT);
    }

    /** As {@link #ChunkPipe(Runnable)}, with the reader waiting at most {@code idleTimeout} for each message. */
    public ChunkPipe(Runnable requestNext, Duration idleTimeout) {
        this.requestNext = requestNext;
        this.idleTimeout = idleTimeout;
    }

    /** Called by the transport with a chunk of data. */
    public void chunk(ByteString chunk) {
        queue.add(chunk);
    }

    /** Called by the transport when the sender is done. */
    public void end() {
        queue.add(END);
    }

    /**
     * Called by the transport when the call failed or was cancelled, or with a {@link
     * MinikvException} when the sender broke the protocol (the reader then throws it as is).
     */
    public void fail(Throwable cause) {
        queue.add(cause);
    }

    @Override
    protected ByteString nextChunk() throws IOException {
        Object next;
        try {
            next = queue.poll(idleTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for data");
        }
        if (next == null) {
            throw new MinikvException.Timeout(
                    "no data arrived for " + idleTimeout.toMillis() + " ms; the upload was abandoned");
        }
        if (next == END) {
            return null;
        }
        if (next instanceof MinikvException refusal) {
            throw refusal;
        }
        if (next instanceof Throwable cause) {
            throw new UploadCancelled(cause);
        }
        requestNext.run();
        return (ByteString) next;
    }
}
