package io.minikv.proto;

/**
 * The buffer through which a value is copied a chunk at a time, from a stream to messages or to a
 * response. Java zeroes every new array: a 256-byte value copied through a 256 KiB buffer cost a
 * 256 KiB memset per request, the largest single item of a gRPC client's CPU under small puts.
 */
public final class CopyBuffers {
    private CopyBuffers() {}

    /**
     * @param length the value's size in bytes, or -1 when it is not known
     * @param chunk the largest piece sent at a time
     * @return a buffer of {@code chunk} bytes, or of the value's size when that is smaller (at least 1)
     */
    public static byte[] forValue(long length, int chunk) {
        return new byte[(int) (length < 0 ? chunk : Math.clamp(length, 1, chunk))];
    }
}
