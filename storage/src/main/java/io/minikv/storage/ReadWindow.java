package io.minikv.storage;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Sequential reading of a {@link DiskFile} through one reusable buffer: scanners ask for the bytes
 * at a position and get a view that stays valid until the next call.
 */
final class ReadWindow {
    private final DiskFile file;
    private final long fileSize;
    private final ByteBuffer buffer;
    private long bufferStart;

    ReadWindow(DiskFile file, long fileSize, int capacity) {
        this.file = file;
        this.fileSize = fileSize;
        this.buffer = ByteBuffer.allocate(capacity);
        this.buffer.limit(0);
    }

    long fileSize() {
        return fileSize;
    }

    /**
     * A view of the {@code length} bytes at {@code position} (fewer at end of file), positioned at
     * 0. {@code length} must not exceed the capacity.
     */
    ByteBuffer at(long position, int length) throws IOException {
        long wanted = Math.min(length, fileSize - position);
        if (position < bufferStart || position + wanted > bufferStart + buffer.limit()) {
            buffer.clear();
            int toRead = (int) Math.min(buffer.capacity(), fileSize - position);
            buffer.limit(toRead);
            file.readFully(buffer, position);
            buffer.flip();
            bufferStart = position;
        }
        int from = (int) (position - bufferStart);
        return buffer.slice(from, (int) wanted);
    }
}
