package io.minikv.volume;

import io.minikv.proto.MinikvException;
import java.util.List;

/**
 * What a batch of prepares and commits did ({@link BlobStore#prepareAndCommit}): for each value in
 * order, null when it is prepared or why it is not; for each commit in order, its result.
 */
public record BatchOutcome(List<MinikvException> prepared, List<CommitResult> committed) {}
