package io.minikv.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.minikv.proto.MinikvException;
import io.minikv.proto.v1.BlobMetadata;
import io.minikv.proto.v1.CommitRequest;
import io.minikv.proto.v1.CommitWrite;
import io.minikv.proto.v1.MetadataResult.Outcome;
import io.minikv.proto.v1.PrepareHeader;
import io.minikv.proto.v1.SmallValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SmallWriteRoundsTest {
    private static final List<PrepareFanOut.Target> TARGETS = List.of(
            new PrepareFanOut.Target("v0", "host:0"),
            new PrepareFanOut.Target("v1", "host:1"),
            new PrepareFanOut.Target("v2", "host:2"));

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    /** One volume call: what it carried. */
    private record Call(String address, List<String> commitKeys, List<String> preparedKeys) {}

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    /** The volume ids that fail the prepare of a key. */
    private final Map<String, List<String>> failing = new ConcurrentHashMap<>();
    /** The keys of each Raft entry appended. */
    private final List<List<String>> entries = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        executor.close();
    }

    private List<CompletableFuture<PrepareResult>> prepareAll(
            String address, List<CommitRequest> commits, List<SmallValue> values) {
        calls.add(new Call(
                address,
                commits.stream().map(CommitRequest::getKey).toList(),
                values.stream().map(v -> v.getHeader().getMetadata().getKey()).toList()));
        String volume = "v" + address.substring(address.indexOf(':') + 1);
        return values.stream()
                .map(v -> CompletableFuture.completedFuture(
                        failing.getOrDefault(v.getHeader().getMetadata().getKey(), List.of())
                                        .contains(volume)
                                ? PrepareResult.FAILED
                                : PrepareResult.PREPARED))
                .toList();
    }

    private SmallWriteRounds rounds(Function<List<CommitWrite>, List<Outcome>> raft) {
        return new SmallWriteRounds(
                this::prepareAll,
                writes -> {
                    entries.add(writes.stream().map(CommitWrite::getKey).toList());
                    return raft.apply(writes);
                },
                2,
                TimeUnit.MILLISECONDS.toNanos(100),
                executor);
    }

    private static List<Outcome> applied(List<CommitWrite> writes) {
        return writes.stream().map(w -> Outcome.APPLIED).toList();
    }

    private static SmallWriteRounds.Write write(String key, long version) {
        PrepareHeader header = PrepareHeader.newBuilder()
                .setTransactionId(version)
                .setMetadata(BlobMetadata.newBuilder().setKey(key).setVersion(version))
                .build();
        return new SmallWriteRounds.Write(
                TARGETS,
                SmallValue.newBuilder()
                        .setHeader(header)
                        .setData(ByteString.copyFromUtf8("value of " + key))
                        .build(),
                CommitWrite.newBuilder()
                        .setKey(key)
                        .setVersion(version)
                        .setTransactionId(version)
                        .build());
    }

    private List<Call> callsTo(String address) {
        return calls.stream().filter(c -> c.address().equals(address)).toList();
    }

    @Test
    void aLoneWriteCommitsOnItsReplicasAndItsCommitsGoOutOnTheirOwnWhenNoRoundFollows() {
        SmallWriteRounds rounds = rounds(SmallWriteRoundsTest::applied);

        CommitPointResult result = rounds.write(write("a", 1));

        assertThat(result.decision()).isEqualTo(new WriteDecision.Commit(List.of("v0", "v1", "v2"), List.of()));
        assertThat(result.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(result.unknown()).isNull();
        assertThat(entries).containsExactly(List.of("a"));
        // No round followed: the Commits went on their own after waiting for one.
        for (PrepareFanOut.Target target : TARGETS) {
            Awaitility.await().until(() -> callsTo(target.grpcAddress()).size() == 2);
            assertThat(callsTo(target.grpcAddress()))
                    .containsExactly(
                            new Call(target.grpcAddress(), List.of(), List.of("a")),
                            new Call(target.grpcAddress(), List.of("a"), List.of()));
        }
    }

    @Test
    void writesThatWaitedShareTheNextRoundAndCarryTheLastRoundsCommits() throws Exception {
        CountDownLatch firstEntryHeld = new CountDownLatch(1);
        CountDownLatch releaseFirstEntry = new CountDownLatch(1);
        SmallWriteRounds rounds = rounds(writes -> {
            if (entries.size() == 1) {
                firstEntryHeld.countDown();
                awaitLatch(releaseFirstEntry);
            }
            return applied(writes);
        });
        CompletableFuture<CommitPointResult> first =
                CompletableFuture.supplyAsync(() -> rounds.write(write("first", 1)), executor);
        assertThat(firstEntryHeld.await(10, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<CommitPointResult>> waiting = new ArrayList<>();
        for (String key : List.of("x", "y", "z")) {
            waiting.add(CompletableFuture.supplyAsync(() -> rounds.write(write(key, 2)), executor));
        }
        Awaitility.await().until(() -> rounds.waiting() == 3);

        releaseFirstEntry.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.APPLIED);
        for (CompletableFuture<CommitPointResult> result : waiting) {
            assertThat(result.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.APPLIED);
        }
        assertThat(entries).hasSize(2);
        assertThat(entries.get(1)).containsExactlyInAnyOrder("x", "y", "z");
        // Per volume: the first write alone, then the three with the first's Commit, then their Commits.
        Awaitility.await().until(() -> callsTo("host:1").size() == 3);
        Call second = callsTo("host:1").get(1);
        assertThat(second.commitKeys()).containsExactly("first");
        assertThat(second.preparedKeys()).containsExactlyInAnyOrder("x", "y", "z");
        assertThat(callsTo("host:1").get(2).commitKeys()).containsExactlyInAnyOrder("x", "y", "z");
    }

    @Test
    void aWriteShortOfTheQuorumAbortsWithoutAnEntryWhileTheOthersCommit() {
        failing.put("short", List.of("v0", "v2"));
        failing.put("two", List.of("v1"));
        SmallWriteRounds rounds = rounds(SmallWriteRoundsTest::applied);

        CommitPointResult shortOne = rounds.write(write("short", 1));
        CommitPointResult twoOfThree = rounds.write(write("two", 2));

        assertThat(shortOne.decision()).isEqualTo(new WriteDecision.Abort(List.of("v0", "v1", "v2"), 1, 2));
        assertThat(shortOne.outcome()).isNull();
        assertThat(twoOfThree.decision()).isEqualTo(new WriteDecision.Commit(List.of("v0", "v2"), List.of("v1")));
        assertThat(entries).containsExactly(List.of("two"));
        // Only the replicas that prepared are sent the Commit.
        Awaitility.await().until(() -> callsTo("host:0").size() == 3);
        assertThat(callsTo("host:1").stream().flatMap(c -> c.commitKeys().stream()))
                .isEmpty();
        assertThat(callsTo("host:0").stream().flatMap(c -> c.commitKeys().stream()))
                .containsExactly("two");
    }

    @Test
    void anEntryOfUnknownFateLeavesItsWritesUnknownAndSendsNoCommit() {
        MinikvException.Unavailable lost = new MinikvException.Unavailable("no leader");
        SmallWriteRounds rounds = rounds(writes -> {
            if (entries.size() == 1) {
                throw lost;
            }
            return applied(writes);
        });

        CommitPointResult result = rounds.write(write("a", 1));
        rounds.write(write("b", 2));

        assertThat(result.decision()).isInstanceOf(WriteDecision.Commit.class);
        assertThat(result.outcome()).isNull();
        assertThat(result.unknown()).isSameAs(lost);
        assertOnlyCommitsSentAre("b");
    }

    @Test
    void aStaleOrRefusedEntryOutcomeSendsNoCommit() {
        SmallWriteRounds rounds = rounds(writes -> entries.size() == 1
                ? writes.stream().map(w -> Outcome.PRECONDITION_FAILED).toList()
                : applied(writes));

        CommitPointResult result = rounds.write(write("a", 1));
        rounds.write(write("b", 2));

        assertThat(result.outcome()).isEqualTo(Outcome.PRECONDITION_FAILED);
        assertOnlyCommitsSentAre("b");
    }

    /** Waits for the Commits of {@code key}, the last write, and checks no other Commit went out before. */
    private void assertOnlyCommitsSentAre(String key) {
        Awaitility.await()
                .until(() ->
                        calls.stream().filter(c -> c.commitKeys().contains(key)).count() == TARGETS.size());
        assertThat(calls.stream().flatMap(c -> c.commitKeys().stream())).containsOnly(key);
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
