package io.minikv.client;

import java.util.List;

/**
 * The cluster as one coordinator sees it.
 *
 * @param nodeId the coordinator that answered
 */
public record ClusterStatus(
        String nodeId,
        String leader,
        long term,
        long commitIndex,
        long appliedIndex,
        List<CoordinatorInfo> coordinators,
        List<VolumeInfo> volumes,
        int shards,
        int replicas,
        int writeQuorum,
        long keys) {
    public ClusterStatus {
        coordinators = coordinators == null ? List.of() : List.copyOf(coordinators);
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
    }
}
