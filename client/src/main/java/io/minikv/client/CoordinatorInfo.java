package io.minikv.client;

/**
 * One coordinator of the Raft group.
 *
 * @param role {@code leader}, {@code follower}, {@code candidate}, {@code listener} or {@code unknown}
 */
public record CoordinatorInfo(String id, String raftAddress, String httpAddress, String grpcAddress, String role) {}
