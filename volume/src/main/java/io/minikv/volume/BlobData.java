package io.minikv.volume;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * A committed version opened for reading: its metadata and a stream of its bytes. The stream
 * verifies the data's checksum and fails before the last chunk if it does not match. Close it.
 */
public record BlobData(BlobInfo info, InputStream data) implements Closeable {
    @Override
    public void close() throws IOException {
        data.close();
    }
}
