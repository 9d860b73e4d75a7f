package io.minikv.client;

import io.minikv.proto.MinikvException;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The value of a put: bytes in memory, or a stream read once as it is sent. It counts the bytes
 * handed to the transport, which tells whether a failed put can be sent again unchanged and
 * whether a slow upload is still moving.
 */
final class Body {
    /**
     * A stream of known length up to this size is read whole when the put starts: it can then be
     * sent again after a coordinator that could not be reached, and over gRPC in one go. The
     * coordinators prepare such a value whole anyway.
     */
    static final int READ_WHOLE_MAX = 32 * 1024;

    private final byte[] bytes;
    private final InputStream stream;
    private final long length;
    private final AtomicLong taken = new AtomicLong();

    private Body(byte[] bytes, InputStream stream, long length) {
        this.bytes = bytes;
        this.stream = stream;
        this.length = length;
    }

    static Body of(byte[] bytes) {
        return new Body(bytes, null, bytes.length);
    }

    /**
     * {@code length} -1: unknown, read to the end of the stream. A known length of at most {@link
     * #READ_WHOLE_MAX} is read now.
     *
     * @throws MinikvException.InvalidArgument when the stream fails or does not hold {@code length} bytes
     */
    static Body of(InputStream stream, long length) {
        if (length < 0 || length > READ_WHOLE_MAX) {
            return new Body(null, stream, length);
        }
        try {
            byte[] bytes = stream.readNBytes((int) length);
            if (bytes.length < length) {
                throw new MinikvException.InvalidArgument(
                        "the value has " + bytes.length + " bytes, not the " + length + " declared");
            }
            if (stream.read() >= 0) {
                throw new MinikvException.InvalidArgument("the value has more than the " + length + " bytes declared");
            }
            return of(bytes);
        } catch (IOException e) {
            throw new MinikvException.InvalidArgument("cannot read the value: " + e.getMessage());
        }
    }

    /** The value, when it is in memory; else null. */
    byte[] bytes() {
        return bytes;
    }

    /** The declared length, or -1 when unknown. */
    long length() {
        return length;
    }

    /**
     * Whether sending it again would send the same bytes: always for bytes in memory, and for a
     * stream only while no byte of it has been taken.
     */
    boolean replayable() {
        return bytes != null || taken.get() == 0;
    }

    /** Bytes taken from the value by all attempts so far. */
    long taken() {
        return taken.get();
    }

    /** The value from its first byte; for a stream, only while {@link #replayable()}. */
    InputStream open() {
        if (!replayable()) {
            throw new IllegalStateException("the value's stream was already read");
        }
        InputStream source = bytes != null ? new ByteArrayInputStream(bytes) : stream;
        return new FilterInputStream(source) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    taken.incrementAndGet();
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int count) throws IOException {
                int n = super.read(buffer, offset, count);
                if (n > 0) {
                    taken.addAndGet(n);
                }
                return n;
            }

            @Override
            public void close() {
                // The caller of put owns its stream and closes it.
            }
        };
    }
}
