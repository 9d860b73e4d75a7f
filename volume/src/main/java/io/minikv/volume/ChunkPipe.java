package io.minikv.volume;

import com.google.protobuf.ByteString;
import io.minikv.proto.MinikvException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Turns chunks arriving on gRPC callbacks into an InputStream for a blocking consumer. Flow
 * control: the pipe asks the sender for one more chunk each time the reader takes one, so only a
 * chunk or two is ever buffered, whatever the blob's size.
 */
public final class ChunkPipe extends ChunkStream {
    private static final Object END = new Object();

    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Runnable requestNext;

    /** {@code requestNext} asks the transport for the next message. */
    public ChunkPipe(Runnable requestNext) {
        this.requestNext = requestNext;
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
            next = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for data");
        }
        if (next == END) {
            return null;
        }
        if (next instanceof MinikvException refusal) {
            throw refusal;
        }
        if (next instanceof Throwable cause) {
            throw new IOException("upload was cancelled: " + cause.getMessage(), cause);
        }
        requestNext.run();
        return (ByteString) next;
    }
}
