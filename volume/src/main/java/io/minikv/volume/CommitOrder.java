package io.minikv.volume;

/** One commit of a batch: the transaction and its blob key (see {@link BlobStore#commit}). */
public record CommitOrder(long transactionId, String key) {}
