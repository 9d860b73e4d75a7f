package io.minikv.coordinator;

import io.grpc.stub.StreamObserver;
import io.minikv.proto.v1.AddNodeRequest;
import io.minikv.proto.v1.ClusterGrpc;
import io.minikv.proto.v1.ClusterStatusRequest;
import io.minikv.proto.v1.ClusterStatusResponse;
import io.minikv.proto.v1.CoordinatorInfo;
import io.minikv.proto.v1.HealthRequest;
import io.minikv.proto.v1.HealthResponse;
import io.minikv.proto.v1.MembershipResponse;
import io.minikv.proto.v1.RemoveNodeRequest;
import io.minikv.proto.v1.VolumeInfo;
import java.util.List;
import java.util.Objects;

/**
 * The public gRPC service {@code minikv.v1.Cluster}: the content of the HTTP routes
 * {@code /api/v1/cluster/...} and {@code /health} ({@link ClusterView}, {@link Membership}) as
 * messages. An absent value (no leader, an address not announced yet) is an empty string.
 */
final class ClusterGrpcService extends ClusterGrpc.ClusterImplBase {
    private final ClusterView view;
    private final Membership membership;

    ClusterGrpcService(ClusterView view, Membership membership) {
        this.view = view;
        this.membership = membership;
    }

    @Override
    public void status(ClusterStatusRequest request, StreamObserver<ClusterStatusResponse> responses) {
        GrpcCalls.unary(responses, "status", () -> {
            ClusterView.Status s = view.status();
            return ClusterStatusResponse.newBuilder()
                    .setNodeId(s.nodeId())
                    .setLeader(text(s.leader()))
                    .setTerm(s.term())
                    .setCommitIndex(s.commitIndex())
                    .setAppliedIndex(s.appliedIndex())
                    .addAllCoordinators(coordinators(s.coordinators()))
                    .addAllVolumes(s.volumes().stream()
                            .map(v -> VolumeInfo.newBuilder()
                                    .setId(v.id())
                                    .setHttpAddress(v.httpAddress())
                                    .setGrpcAddress(v.grpcAddress())
                                    .setState(v.state())
                                    .build())
                            .toList())
                    .setShards(s.shards())
                    .setReplicas(s.replicas())
                    .setWriteQuorum(s.writeQuorum())
                    .setKeys(s.keys())
                    .build();
        });
    }

    /** Answers also when this coordinator is not serving: then with status "unavailable" and the reason. */
    @Override
    public void health(HealthRequest request, StreamObserver<HealthResponse> responses) {
        GrpcCalls.unary(responses, "health", () -> {
            ClusterView.Health h = view.health();
            return HealthResponse.newBuilder()
                    .setStatus(h.status())
                    .setRole(h.role())
                    .setNodeId(h.nodeId())
                    .setLeader(text(h.leader()))
                    .setReason(text(h.error()))
                    .build();
        });
    }

    @Override
    public void addNode(AddNodeRequest request, StreamObserver<MembershipResponse> responses) {
        GrpcCalls.unary(
                responses,
                "add node " + request.getNodeId(),
                () -> MembershipResponse.newBuilder()
                        .addAllCoordinators(coordinators(membership.add(request.getNodeId(), request.getAddress())))
                        .build());
    }

    @Override
    public void removeNode(RemoveNodeRequest request, StreamObserver<MembershipResponse> responses) {
        GrpcCalls.unary(
                responses,
                "remove node " + request.getNodeId(),
                () -> MembershipResponse.newBuilder()
                        .addAllCoordinators(coordinators(membership.remove(request.getNodeId())))
                        .build());
    }

    private static List<CoordinatorInfo> coordinators(List<ClusterView.Coordinator> coordinators) {
        return coordinators.stream()
                .map(c -> CoordinatorInfo.newBuilder()
                        .setId(c.id())
                        .setRaftAddress(c.raftAddress())
                        .setHttpAddress(text(c.httpAddress()))
                        .setGrpcAddress(text(c.grpcAddress()))
                        .setRole(c.role())
                        .build())
                .toList();
    }

    private static String text(String value) {
        return Objects.requireNonNullElse(value, "");
    }
}
