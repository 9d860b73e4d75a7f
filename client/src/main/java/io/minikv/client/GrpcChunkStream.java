package io.minikv.client;

import com.google.protobuf.ByteString;
import io.grpc.StatusException;
import io.grpc.stub.BlockingClientCall;
import io.minikv.proto.v1.KvGetResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The data of a gRPC Get as an {@link InputStream}: pulls one chunk at a time (flow control keeps
 * the rest on the server), and fails rather than end early when fewer bytes than the metadata's
 * size arrive. Closing it before the end cancels the call.
 */
final class GrpcChunkStream extends InputStream {
    private final String coordinator;
    private final BlockingClientCall<?, KvGetResponse> call;
    private final long size;
    private final Duration timeout;
    private ByteString chunk = ByteString.EMPTY;
    private int position;
    private long received;
    private boolean ended;

    GrpcChunkStream(String coordinator, BlockingClientCall<?, KvGetResponse> call, long size, Duration timeout) {
        this.coordinator = coordinator;
        this.call = call;
        this.size = size;
        this.timeout = timeout;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (position == chunk.size()) {
            if (ended || !nextChunk()) {
                return -1;
            }
        }
        int n = Math.min(length, chunk.size() - position);
        chunk.copyTo(buffer, position, offset, n);
        position += n;
        return n;
    }

    private boolean nextChunk() throws IOException {
        KvGetResponse next;
        try {
            next = call.read(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (StatusException e) {
            ended = true;
            throw new IOException(coordinator + ": the Get broke off: " + e.getStatus(), e);
        } catch (TimeoutException e) {
            close();
            throw new IOException(coordinator + ": no data within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading from " + coordinator);
        }
        if (next == null) {
            ended = true;
            if (received != size) {
                throw new IOException(coordinator + ": the Get ended after " + received + " of " + size + " bytes");
            }
            return false;
        }
        chunk = next.getChunk();
        position = 0;
        received += chunk.size();
        return true;
    }

    @Override
    public void close() {
        if (!ended) {
            ended = true;
            call.cancel("closed by the reader", null);
        }
    }
}
