package io.minikv.client;

/** How the client talks to the coordinators. */
public enum Protocol {
    /** The public HTTP routes ({@code /blobs}, {@code /api/v1/...}) at the coordinator URLs. */
    HTTP,
    /** The public gRPC services {@code minikv.v1.KV} and {@code minikv.v1.Cluster} at the gRPC targets. */
    GRPC
}
