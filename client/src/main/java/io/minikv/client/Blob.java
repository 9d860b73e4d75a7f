package io.minikv.client;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * A blob being read: its metadata, and its bytes as they arrive. The caller closes it, which
 * releases the connection (or cancels the gRPC call) even when the data was not read to the end.
 * A transfer that breaks off, or ends short of {@code metadata().size()}, makes {@code data()}
 * throw an {@link IOException}: a blob is never silently truncated.
 */
public record Blob(BlobMetadata metadata, InputStream data) implements Closeable {
    @Override
    public void close() throws IOException {
        data.close();
    }
}
