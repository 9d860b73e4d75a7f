package io.minikv.client;

import java.util.List;

/**
 * A stored blob, as the server acknowledged it.
 *
 * @param version the committed version; 0 from a single volume
 * @param replicas the volumes holding it; empty from a single volume
 */
public record PutResult(String key, String etag, long size, long version, List<String> replicas) {
    public PutResult {
        replicas = replicas == null ? List.of() : List.copyOf(replicas);
    }
}
