package io.minikv.client;

/**
 * What the store knows of a blob.
 *
 * @param version the committed version; 0 when the server does not number versions (a single volume)
 * @param etag hex MD5 of the data, without quotes
 */
public record BlobMetadata(String key, long version, long size, String etag, String contentType) {}
