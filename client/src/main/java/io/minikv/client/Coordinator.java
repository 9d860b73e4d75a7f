package io.minikv.client;

import java.util.List;

/**
 * One coordinator, reached over one protocol. A call that never reached it throws
 * {@link Unreachable}; every other failure is a {@link io.minikv.proto.MinikvException} or an
 * {@link UnexpectedResponseException}.
 */
sealed interface Coordinator extends AutoCloseable permits HttpCoordinator, GrpcCoordinator {
    /** Its address, for messages. */
    String name();

    /** {@code host:port}, as the coordinators name each other in leader hints. */
    String address();

    PutResult put(String key, Body body, String contentType, Condition condition);

    Blob get(String key);

    BlobMetadata head(String key);

    void delete(String key);

    List<String> list(String prefix, String startAfter, int limit);

    ClusterStatus status();

    Health health();

    List<CoordinatorInfo> addNode(String id, String raftAddress);

    List<CoordinatorInfo> removeNode(String id);

    @Override
    void close();
}
