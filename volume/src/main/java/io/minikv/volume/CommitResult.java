package io.minikv.volume;

import io.minikv.proto.MinikvException;

/** The answer to one commit of a batch: whether it applied, or the error ({@code null} when none). */
public record CommitResult(boolean applied, MinikvException error) {}
