package io.minikv.client;

/**
 * A serving node's answer to a health check. Only healthy answers become a {@code Health}: a node
 * that is not serving makes the check fail over to the next coordinator.
 *
 * @param status {@code healthy}
 * @param role {@code leader} or {@code follower}; null from a single volume
 * @param nodeId the node that answered; null when it does not say
 * @param leader the leader it knows; null when it does not say
 */
public record Health(String status, String role, String nodeId, String leader) {}
