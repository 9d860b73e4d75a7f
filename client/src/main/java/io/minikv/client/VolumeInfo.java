package io.minikv.client;

/**
 * One volume the coordinators know.
 *
 * @param state {@code up} or {@code down}
 */
public record VolumeInfo(String id, String httpAddress, String grpcAddress, String state) {}
