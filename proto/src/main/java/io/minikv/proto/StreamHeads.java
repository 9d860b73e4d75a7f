package io.minikv.proto;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads the head of a stream whose length is not known: up to a limit, into an array that grows
 * with the data. {@link InputStream#readNBytes(int)} reads into arrays of 16 KiB, which Java zeroes:
 * a leader reading each 256-byte value of a gRPC put that way, to see whether it fits in a batch,
 * spent 45% of the bytes it allocated on them, and collected its young generation twice as often.
 */
public final class StreamHeads {
    /** The first array: small values, the common case, fit in it. */
    static final int FIRST_ARRAY = 512;

    private StreamHeads() {}

    /**
     * Reads until the stream ends or {@code limit} bytes are read, whichever comes first; the bytes
     * beyond stay in the stream.
     *
     * @return the bytes read, an array of exactly their number
     */
    public static byte[] read(InputStream in, int limit) throws IOException {
        byte[] buffer = new byte[Math.min(limit, FIRST_ARRAY)];
        int filled = 0;
        while (filled < limit) {
            if (filled == buffer.length) {
                buffer = Arrays.copyOf(buffer, (int) Math.min(limit, 2L * buffer.length));
            }
            int n = in.read(buffer, filled, buffer.length - filled);
            if (n < 0) {
                break;
            }
            filled += n;
        }
        return filled == buffer.length ? buffer : Arrays.copyOf(buffer, filled);
    }
}
