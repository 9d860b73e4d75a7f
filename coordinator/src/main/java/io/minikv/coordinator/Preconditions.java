package io.minikv.coordinator;

import io.minikv.volume.Precondition;

/** The write conditions of the HTTP and gRPC APIs as they travel in the Raft log. */
final class Preconditions {
    private Preconditions() {}

    static io.minikv.proto.v1.Precondition toProto(Precondition precondition) {
        return switch (precondition) {
            case Precondition.None ignored -> io.minikv.proto.v1.Precondition.getDefaultInstance();
            case Precondition.IfAbsent ignored ->
                io.minikv.proto.v1.Precondition.newBuilder().setIfAbsent(true).build();
            case Precondition.IfMatch(String etag) ->
                io.minikv.proto.v1.Precondition.newBuilder().setIfMatch(etag).build();
        };
    }
}
