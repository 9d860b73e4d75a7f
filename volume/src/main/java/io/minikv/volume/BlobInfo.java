package io.minikv.volume;

/**
 * What a volume knows of one version of a blob.
 *
 * @param key the blob key
 * @param version strictly increasing per key (assigned by coordinators, or by the volume when alone)
 * @param size bytes of data
 * @param etag hex MD5 of the data, without quotes
 * @param contentType as given at upload
 * @param createdAtMillis when the version was written
 */
public record BlobInfo(String key, long version, long size, String etag, String contentType, long createdAtMillis) {}
