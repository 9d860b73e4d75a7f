package io.minikv.volume;

/**
 * A whole value, at most {@link BlobStore#INLINE_LIMIT} bytes, to prepare as part of a batch;
 * {@code expected} carries the size and etag the sender computed.
 */
public record SmallValue(long transactionId, BlobInfo expected, byte[] data) {}
