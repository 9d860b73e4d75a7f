package io.minikv.coordinator;

import io.minikv.proto.MinikvException;
import io.minikv.proto.v1.MetadataResult.Outcome;

/**
 * How a write's commit point ended, for small writes in rounds and streamed writes alike: the
 * decision ({@link WriteDecision}) and, for a commit, its Raft entry's outcome, or {@code unknown}
 * when the entry's fate is unknown (it may still commit).
 */
record CommitPointResult(WriteDecision decision, Outcome outcome, MinikvException.Unavailable unknown) {}
