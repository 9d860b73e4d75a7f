package io.minikv.coordinator;

import io.minikv.proto.MinikvException;
import io.minikv.proto.v1.CommitRequest;
import io.minikv.proto.v1.CommitWrite;
import io.minikv.proto.v1.MetadataResult.Outcome;
import io.minikv.proto.v1.SmallValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The two phases of small writes, in rounds (DESIGN.md §3): the writes waiting when a round starts
 * are prepared together, in one {@code PrepareBatch} call per volume, and those that prepared on the
 * write quorum share one Raft entry for their commit points. One round runs at a time.
 *
 * <p>Why rounds rather than two pipelined stages (the next writes preparing while these commit): a
 * write waits about as long either way (half a round for the one in progress, then its own), but
 * pipelined stages run twice the rounds for the same writes, and each round costs every node CPU
 * for its calls, syncs and Raft messages. With few clients that cost is most of a write's.
 *
 * <p>After a round of few writes, the next one may wait briefly ({@link #LINGER}) for their writers to
 * send their next writes, so that callers that write one at a time share a round rather than take turns.
 *
 * <p>The Commits of a round's writes go to the volumes in the next round's batches, or on their own
 * when no round comes soon ({@link PendingCommits}). A Commit that never arrives is redone by the
 * {@link TransactionResolver}.
 */
final class SmallWriteRounds {
    /** Writes per round: the commit points of a round share one Raft entry. */
    static final int MAX_WRITES = 512;
    /** Value bytes per round. */
    private static final int MAX_BYTES = 4 * 1024 * 1024;
    /**
     * How long a round may wait for the writers the last round answered ({@link GroupCommit.Linger}).
     * With 16 clients that each wait for their write before sending the next, rounds without it take
     * turns between two groups of about 8 writes; with it, one round carries about 14; with 64, a round
     * carries the other half's writes too. The linger only caps the wait (the round starts once the
     * writers are back), and how long they take depends on the machine: 1.3–1.8 ms when it was fast,
     * longer when it was slow, and then a 2 ms linger expired before them and rounds split again. In
     * harness runs of the same build, 6 ms gave 16 and 64 clients about 1.4 times the puts of
     * 2 ms (docs/benchmarks.md, session 25). After rounds of over 64 writes it does not wait: with 256
     * clients the writers of a round of about 120 come back later than a short linger.
     */
    private static final GroupCommit.Linger LINGER = new GroupCommit.Linger(Duration.ofMillis(6), 64);
    /**
     * How long a round's Commits wait for the next round to carry them: longer than {@link #LINGER},
     * so that writers that come back within it find their last Commits still waiting.
     */
    private static final Duration COMMITS_WAIT = Duration.ofMillis(8);
    /** How long a round waits for its prepares at most; each batch call has its own deadline too. */
    private static final long PREPARE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** Where a round's prepares and Commits go: {@link VolumeBatches#prepareAll}. */
    @FunctionalInterface
    interface Volumes {
        /** Sends {@code commits} and prepares {@code values} on one volume in one batch; an answer per value. */
        List<CompletableFuture<PrepareResult>> prepareAll(
                String grpcAddress, List<CommitRequest> commits, List<SmallValue> values);
    }

    /** A small write to prepare on {@code targets}, with its commit point less the replicas. */
    record Write(List<PrepareFanOut.Target> targets, SmallValue value, CommitWrite entry) {}

    private final Volumes volumes;
    private final Function<List<CommitWrite>, List<Outcome>> commitPoints;
    private final int writeQuorum;
    private final long stragglerGraceNanos;
    private final GroupCommit<Write, CommitPointResult> rounds;
    private final PendingCommits pendingCommits;

    /**
     * @param commitPoints appends one Raft entry for the commit points given and answers their outcomes
     * @param stragglerGraceNanos see {@link QuorumWait}
     */
    SmallWriteRounds(
            Volumes volumes,
            Function<List<CommitWrite>, List<Outcome>> commitPoints,
            int writeQuorum,
            long stragglerGraceNanos,
            Executor executor) {
        this.volumes = volumes;
        this.commitPoints = commitPoints;
        this.writeQuorum = writeQuorum;
        this.stragglerGraceNanos = stragglerGraceNanos;
        this.pendingCommits =
                new PendingCommits(COMMITS_WAIT, commits -> send(List.of(), commits), Timer.PLATFORM_THREAD);
        this.rounds = new GroupCommit<>(
                MAX_WRITES,
                MAX_BYTES,
                1,
                write -> write.value().getData().size() + write.entry().getKey().length(),
                this::round,
                executor,
                LINGER);
    }

    /**
     * Runs {@code write} in the next round and waits for it.
     *
     * @throws MinikvException.Unavailable when the round failed: the write's outcome is unknown
     */
    CommitPointResult write(Write write) {
        return rounds.await(write, "the write");
    }

    /** How many writes wait for the next round. */
    int waiting() {
        return rounds.waiting();
    }

    /** How many rounds have started. */
    long rounds() {
        return rounds.batches();
    }

    /** How many writes the rounds that have started carried. */
    long roundWrites() {
        return rounds.batchedItems();
    }

    /** How many rounds started when their {@link #LINGER} ran out rather than when their writers were back. */
    long lingersRunOut() {
        return rounds.lingersRunOut();
    }

    private List<CommitPointResult> round(List<Write> writes) {
        List<Map<String, PrepareResult>> answers = prepare(writes);
        List<WriteDecision> decisions = new ArrayList<>(writes.size());
        List<CommitWrite> entries = new ArrayList<>();
        for (int i = 0; i < writes.size(); i++) {
            Write write = writes.get(i);
            WriteDecision decision =
                    WriteDecision.decide(PrepareFanOut.Target.volumeIds(write.targets()), answers.get(i), writeQuorum);
            decisions.add(decision);
            if (decision instanceof WriteDecision.Commit commit) {
                entries.add(write.entry().toBuilder()
                        .addAllReplicas(commit.replicas())
                        .build());
            }
        }
        List<Outcome> outcomes = List.of();
        MinikvException.Unavailable unknown = null;
        if (!entries.isEmpty()) {
            try {
                outcomes = commitPoints.apply(entries);
            } catch (MinikvException.Unavailable e) {
                unknown = e;
            }
        }
        List<CommitPointResult> results = new ArrayList<>(writes.size());
        Iterator<Outcome> outcome = outcomes.iterator();
        for (int i = 0; i < writes.size(); i++) {
            WriteDecision decision = decisions.get(i);
            if (!(decision instanceof WriteDecision.Commit commit)) {
                results.add(new CommitPointResult(decision, null, null));
            } else if (unknown != null) {
                results.add(new CommitPointResult(decision, null, unknown));
            } else {
                Outcome applied = outcome.next();
                if (applied == Outcome.APPLIED) {
                    queueCommits(writes.get(i), commit.replicas());
                }
                results.add(new CommitPointResult(decision, applied, null));
            }
        }
        pendingCommits.sendUnlessTaken();
        return results;
    }

    /** Prepares {@code writes} ({@link #send}) and waits for each one's answers ({@link QuorumWait}). */
    private List<Map<String, PrepareResult>> prepare(List<Write> writes) {
        Map<String, Iterator<CompletableFuture<PrepareResult>>> byVolume = send(writes, pendingCommits.takeAll());
        List<Map<String, CompletableFuture<PrepareResult>>> answers = new ArrayList<>(writes.size());
        for (Write write : writes) {
            Map<String, CompletableFuture<PrepareResult>> answersOfWrite = new LinkedHashMap<>();
            for (PrepareFanOut.Target target : write.targets()) {
                answersOfWrite.put(
                        target.volumeId(), byVolume.get(target.grpcAddress()).next());
            }
            answers.add(answersOfWrite);
        }
        return QuorumWait.awaitAll(
                answers, writeQuorum, System.nanoTime() + PREPARE_TIMEOUT_NANOS, stragglerGraceNanos);
    }

    /**
     * Sends the prepares of {@code writes}, with {@code commits}, in one batch per volume; the answers
     * by volume address, in the order of {@code writes}.
     */
    private Map<String, Iterator<CompletableFuture<PrepareResult>>> send(
            List<Write> writes, Map<String, List<CommitRequest>> commits) {
        Map<String, List<SmallValue>> values = new LinkedHashMap<>();
        for (Write write : writes) {
            for (PrepareFanOut.Target target : write.targets()) {
                values.computeIfAbsent(target.grpcAddress(), address -> new ArrayList<>())
                        .add(write.value());
            }
        }
        commits.keySet().forEach(address -> values.putIfAbsent(address, List.of()));
        Map<String, Iterator<CompletableFuture<PrepareResult>>> answers = new HashMap<>();
        values.forEach((address, batch) -> answers.put(
                address,
                volumes.prepareAll(address, commits.getOrDefault(address, List.of()), batch)
                        .iterator()));
        return answers;
    }

    private void queueCommits(Write write, List<String> replicas) {
        CommitRequest commit = CommitRequest.newBuilder()
                .setTransactionId(write.entry().getTransactionId())
                .setKey(write.entry().getKey())
                .build();
        for (PrepareFanOut.Target target : write.targets()) {
            if (replicas.contains(target.volumeId())) {
                pendingCommits.add(target.grpcAddress(), commit);
            }
        }
    }
}
