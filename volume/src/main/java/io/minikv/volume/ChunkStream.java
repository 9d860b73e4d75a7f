package io.minikv.volume;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.InputStream;

/**
 * An InputStream over a sequence of protobuf chunks, fetched one at a time by {@link #nextChunk()}.
 * A failure to fetch ends the stream: later reads return -1.
 */
public abstract class ChunkStream extends InputStream {
    private ByteString current = ByteString.EMPTY;
    private int position;
    private boolean ended;

    /** The next chunk, or null at the end of the data. */
    protected abstract ByteString nextChunk() throws IOException;

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (position == current.size()) {
            if (ended) {
                return -1;
            }
            ByteString next;
            try {
                next = nextChunk();
            } catch (IOException | RuntimeException e) {
                ended = true;
                throw e;
            }
            if (next == null) {
                ended = true;
                return -1;
            }
            current = next;
            position = 0;
        }
        int n = Math.min(len, current.size() - position);
        current.copyTo(b, position, off, n);
        position += n;
        return n;
    }
}
