package io.minikv.bench;

import java.util.List;

/**
 * Everything measured on one system.
 *
 * @param description the version and settings, from {@link ClusterUnderTest#description()}
 * @param failoverMillis for each leader kill, milliseconds from the SIGKILL to the first acknowledged write
 * @param failoverError why the leader kills stopped early (no write within the limit, or no restart), or null
 */
record SystemResults(
        String system, String description, List<RowResult> rows, List<Long> failoverMillis, String failoverError) {}
