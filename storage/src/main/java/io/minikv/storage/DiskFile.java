package io.minikv.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * One open file of a {@link Disk}. Reads and writes are positional and safe to call from many
 * threads at once. Written bytes are visible to reads at once but durable only after {@link
 * #force()}.
 */
interface DiskFile extends Closeable {
    /** Reads up to {@code dst.remaining()} bytes at {@code position}; returns -1 at end of file. */
    int read(ByteBuffer dst, long position) throws IOException;

    /** Writes all of {@code src} at {@code position}. */
    void write(ByteBuffer src, long position) throws IOException;

    /** Makes every written byte durable (fdatasync). */
    void force() throws IOException;

    long size() throws IOException;

    /** Shortens the file to {@code size} bytes; durable only after {@link #force()}. */
    void truncate(long size) throws IOException;

    /** Sends {@code count} bytes from {@code position} to {@code target}, zero-copy where the OS can. */
    long transferTo(long position, long count, WritableByteChannel target) throws IOException;

    /** Reads exactly {@code dst.remaining()} bytes at {@code position} or throws EOFException. */
    default void readFully(ByteBuffer dst, long position) throws IOException {
        long at = position;
        while (dst.hasRemaining()) {
            int n = read(dst, at);
            if (n < 0) {
                throw new java.io.EOFException("end of file at " + at);
            }
            at += n;
        }
    }
}
