package io.minikv.volume;

/** A transaction prepared on a volume and not yet committed or aborted. */
public record PreparedTransaction(long transactionId, BlobInfo info) {}
