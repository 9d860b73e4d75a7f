package io.minikv.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minikv.proto.v1.CommitWrite;
import io.minikv.proto.v1.CommitWrites;
import io.minikv.proto.v1.DeleteKey;
import io.minikv.proto.v1.KeyState;
import io.minikv.proto.v1.MetadataCommand;
import io.minikv.proto.v1.MetadataResult.Outcome;
import io.minikv.proto.v1.Precondition;
import io.minikv.proto.v1.PurgeTombstones;
import io.minikv.proto.v1.RegisterCoordinator;
import io.minikv.proto.v1.RegisterVolume;
import io.minikv.proto.v1.SetReplicas;
import io.minikv.proto.v1.SetVolumeUp;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MetadataStateTest {
    private final MetadataState state = new MetadataState();

    private static MetadataCommand commit(String key, long version, String etag, Precondition precondition) {
        return MetadataCommand.newBuilder()
                .setCommitWrite(CommitWrite.newBuilder()
                        .setKey(key)
                        .setVersion(version)
                        .setTransactionId(version * 10)
                        .setSize(3)
                        .setEtag(etag)
                        .setContentType("text/plain")
                        .addAllReplicas(List.of("v1", "v2"))
                        .setPrecondition(precondition))
                .build();
    }

    private static MetadataCommand commit(String key, long version, String etag) {
        return commit(key, version, etag, Precondition.getDefaultInstance());
    }

    private static MetadataCommand delete(String key, long version) {
        return MetadataCommand.newBuilder()
                .setDeleteKey(DeleteKey.newBuilder().setKey(key).setVersion(version))
                .build();
    }

    @Test
    void newerVersionsWinAndOlderOnesAreStale() {
        assertThat(state.apply(commit("k", 5, "e5"), 0)).isEqualTo(Outcome.APPLIED);
        assertThat(state.apply(commit("k", 3, "e3"), 0)).isEqualTo(Outcome.STALE);
        assertThat(state.apply(commit("k", 5, "e5"), 0)).as("a repeated commit").isEqualTo(Outcome.STALE);
        assertThat(state.apply(commit("k", 7, "e7"), 0)).isEqualTo(Outcome.APPLIED);
        assertThat(state.key("k")).map(KeyState::getEtag).contains("e7");
    }

    @Test
    void deletionKeepsItsVersionSoThatLateCommitsAreStale() {
        state.apply(commit("k", 5, "e5"), 0);
        assertThat(state.apply(delete("k", 8), 0)).isEqualTo(Outcome.APPLIED);
        assertThat(state.key("k")).map(KeyState::getDeleted).contains(true);
        assertThat(state.apply(commit("k", 6, "e6"), 0)).isEqualTo(Outcome.STALE);
        assertThat(state.apply(delete("k", 9), 0)).as("already deleted").isEqualTo(Outcome.NOT_FOUND);
        assertThat(state.apply(delete("absent", 1), 0)).isEqualTo(Outcome.NOT_FOUND);
        assertThat(state.list("", null, 10)).isEmpty();
        assertThat(state.apply(commit("k", 10, "e10"), 0)).isEqualTo(Outcome.APPLIED);
        assertThat(state.list("", null, 10)).extracting(KeyState::getKey).containsExactly("k");
    }

    private static MetadataCommand purge(long before) {
        return MetadataCommand.newBuilder()
                .setPurgeTombstones(PurgeTombstones.newBuilder().setDeletedBeforeVersion(before))
                .build();
    }

    @Test
    void aPurgeForgetsOnlyTheDeletionsBelowItsVersion() {
        state.apply(commit("old", 1, "e1"), 0);
        state.apply(commit("recent", 2, "e2"), 0);
        state.apply(commit("alive", 3, "e3"), 0);
        state.apply(commit("revived", 4, "e4"), 0);
        state.apply(delete("old", 5), 0);
        state.apply(delete("revived", 6), 0);
        state.apply(commit("revived", 7, "e7"), 0);
        state.apply(delete("recent", 8), 0);
        assertThat(state.tombstoneCount()).isEqualTo(2);
        assertThat(state.oldestTombstone()).isEqualTo(5);

        assertThat(state.apply(purge(5), 0)).as("nothing below 5").isEqualTo(Outcome.NOT_FOUND);
        assertThat(state.apply(purge(8), 0)).isEqualTo(Outcome.APPLIED);

        assertThat(state.key("old")).isEmpty();
        assertThat(state.key("recent")).map(KeyState::getDeleted).contains(true);
        assertThat(state.key("revived")).map(KeyState::getVersion).contains(7L);
        assertThat(state.key("alive")).map(KeyState::getVersion).contains(3L);
        assertThat(state.tombstoneCount()).isEqualTo(1);
        assertThat(state.oldestTombstone()).isEqualTo(8);

        assertThat(state.apply(purge(9), 0)).isEqualTo(Outcome.APPLIED);
        assertThat(state.key("recent")).isEmpty();
        assertThat(state.oldestTombstone()).isEqualTo(Long.MAX_VALUE);
        assertThat(state.apply(commit("old", 10, "e10"), 0))
                .as("written afresh")
                .isEqualTo(Outcome.APPLIED);
    }

    @Test
    void preconditionsAreCheckedAtTheCommitPoint() {
        Precondition ifAbsent = Precondition.newBuilder().setIfAbsent(true).build();
        assertThat(state.apply(commit("k", 1, "a", ifAbsent), 0)).isEqualTo(Outcome.APPLIED);
        assertThat(state.apply(commit("k", 2, "b", ifAbsent), 0)).isEqualTo(Outcome.PRECONDITION_FAILED);
        Precondition ifMatchA = Precondition.newBuilder().setIfMatch("a").build();
        assertThat(state.apply(commit("k", 3, "c", ifMatchA), 0)).isEqualTo(Outcome.APPLIED);
        assertThat(state.apply(commit("k", 4, "d", ifMatchA), 0)).isEqualTo(Outcome.PRECONDITION_FAILED);
        assertThat(state.apply(commit("other", 1, "x", ifMatchA), 0)).isEqualTo(Outcome.PRECONDITION_FAILED);
        state.apply(delete("k", 5), 0);
        assertThat(state.apply(commit("k", 6, "e", ifAbsent), 0))
                .as("deleted counts as absent")
                .isEqualTo(Outcome.APPLIED);
    }

    @Test
    void replicasChangeOnlyForTheCurrentVersion() {
        state.apply(commit("k", 5, "e"), 0);
        MetadataCommand move = MetadataCommand.newBuilder()
                .setSetReplicas(
                        SetReplicas.newBuilder().setKey("k").setVersion(5).addAllReplicas(List.of("v3")))
                .build();
        assertThat(state.apply(move, 0)).isEqualTo(Outcome.APPLIED);
        assertThat(state.key("k").orElseThrow().getReplicasList()).containsExactly("v3");
        state.apply(commit("k", 6, "f"), 0);
        assertThat(state.apply(move, 0)).isEqualTo(Outcome.STALE);
    }

    @Test
    void keyStatesShareTheStringsThatManyKeysRepeat() throws IOException {
        // Parsed, as from the Raft log, so that each command has strings of its own.
        state.apply(MetadataCommand.parseFrom(commit("a", 1, "e1").toByteArray()), 0);
        state.apply(MetadataCommand.parseFrom(commit("b", 2, "e2").toByteArray()), 0);
        String firstKey = state.key("a").orElseThrow().getKey();
        state.apply(MetadataCommand.parseFrom(commit("a", 3, "e3").toByteArray()), 0);
        KeyState a = state.key("a").orElseThrow();
        KeyState b = state.key("b").orElseThrow();
        assertThat(a.getReplicasList()).containsExactly("v1", "v2");
        assertThat(a.getReplicas(0)).isSameAs(b.getReplicas(0));
        assertThat(a.getReplicas(1)).isSameAs(b.getReplicas(1));
        assertThat(a.getContentType()).isEqualTo("text/plain").isSameAs(b.getContentType());
        assertThat(a.getKey()).as("the string of the key it replaced").isSameAs(firstKey);
        assertThat(a.getEtag()).isEqualTo("e3");
    }

    @Test
    void aBatchOfWritesGivesEachItsOwnOutcomeInOrder() {
        state.apply(commit("taken", Versions.of(2, 1), "t"), 2);
        Precondition ifAbsent = Precondition.newBuilder().setIfAbsent(true).build();
        CommitWrites batch = CommitWrites.newBuilder()
                .addWrites(commit("a", Versions.of(2, 2), "a1").getCommitWrite())
                .addWrites(commit("taken", Versions.of(2, 3), "t2", ifAbsent).getCommitWrite())
                .addWrites(commit("a", Versions.of(2, 4), "a2").getCommitWrite())
                .addWrites(commit("a", Versions.of(2, 3), "older").getCommitWrite())
                .addWrites(commit("b", Versions.of(1, 9), "other term").getCommitWrite())
                .build();
        assertThat(state.applyWrites(batch, 2))
                .containsExactly(
                        Outcome.APPLIED, Outcome.PRECONDITION_FAILED, Outcome.APPLIED, Outcome.STALE, Outcome.STALE);
        assertThat(state.key("a")).map(KeyState::getEtag).contains("a2");
        assertThat(state.key("taken")).map(KeyState::getEtag).contains("t");
        assertThat(state.key("b")).isEmpty();

        MetadataState replayed = new MetadataState();
        replayed.apply(commit("taken", Versions.of(2, 1), "t"), 2);
        assertThat(replayed.apply(
                        MetadataCommand.newBuilder().setCommitWrites(batch).build(), 2))
                .as("applied as a whole command, as a restarted coordinator replays it")
                .isEqualTo(Outcome.APPLIED);
        assertThat(replayed.allKeys()).containsExactlyElementsOf(state.allKeys());
    }

    @Test
    void commitsAndDeletionsChosenInAnotherTermAreFenced() {
        long term3 = Versions.of(3, 1);
        assertThat(state.apply(commit("k", term3, "old"), 4))
                .as("chosen by the leader of term 3, logged in term 4")
                .isEqualTo(Outcome.STALE);
        assertThat(state.key("k")).isEmpty();
        assertThat(state.apply(commit("k", Versions.of(4, 1), "new"), 4)).isEqualTo(Outcome.APPLIED);
        assertThat(state.apply(delete("k", Versions.of(4, 2)), 5)).isEqualTo(Outcome.STALE);
        assertThat(state.key("k").orElseThrow().getDeleted()).isFalse();
        assertThat(Versions.term(Versions.of(4, 2))).isEqualTo(4);
        assertThat(Versions.of(5, 1)).isGreaterThan(Versions.of(4, Versions.MAX_COUNTER));
    }

    @Test
    void volumesRegisterAndGoUpAndDown() {
        state.apply(
                MetadataCommand.newBuilder()
                        .setRegisterVolume(RegisterVolume.newBuilder()
                                .setVolumeId("v1")
                                .setHttpAddress("h:1")
                                .setGrpcAddress("h:2"))
                        .build(),
                0);
        MetadataCommand down = MetadataCommand.newBuilder()
                .setSetVolumeUp(SetVolumeUp.newBuilder().setVolumeId("v1").setUp(false))
                .build();
        assertThat(state.apply(down, 0)).isEqualTo(Outcome.APPLIED);
        assertThat(state.volume("v1").orElseThrow().getUp()).isFalse();
        assertThat(state.apply(
                        MetadataCommand.newBuilder()
                                .setSetVolumeUp(SetVolumeUp.newBuilder().setVolumeId("nope"))
                                .build(),
                        0))
                .isEqualTo(Outcome.NOT_FOUND);
    }

    @Test
    void listsByPrefixWithPagination() {
        for (String k : List.of("a/1", "a/2", "a/3", "b/1")) {
            state.apply(commit(k, 1, "e"), 0);
        }
        assertThat(state.list("a/", null, 2)).extracting(KeyState::getKey).containsExactly("a/1", "a/2");
        assertThat(state.list("a/", "a/2", 10)).extracting(KeyState::getKey).containsExactly("a/3");
        assertThat(state.list("", "a/3", 10)).extracting(KeyState::getKey).containsExactly("b/1");
    }

    @Test
    void keysAreInTheOrderOfTheirUtf8BytesAsOnTheVolumes() {
        // U+1F600 is a surrogate pair in UTF-16, which String.compareTo puts before U+FF21.
        for (String k : List.of("a\uFF21", "a\uD83D\uDE00", "a\u00E9", "ab")) {
            state.apply(commit(k, 1, "e"), 0);
        }
        assertThat(state.list("a", null, 10))
                .extracting(KeyState::getKey)
                .containsExactly("ab", "a\u00E9", "a\uFF21", "a\uD83D\uDE00");
        assertThat(state.list("a", "a\uFF21", 10)).extracting(KeyState::getKey).containsExactly("a\uD83D\uDE00");
    }

    @Test
    void applyIsDeterministic() {
        SplittableRandom random = new SplittableRandom(3);
        MetadataState other = new MetadataState();
        for (int i = 0; i < 2000; i++) {
            String key = "k" + random.nextInt(50);
            int kind = random.nextInt(10);
            MetadataCommand command = kind < 2
                    ? delete(key, random.nextInt(1, 100))
                    : kind == 2 ? purge(random.nextInt(1, 100)) : commit(key, random.nextInt(1, 100), "e" + i);
            assertThat(state.apply(command, 0)).isEqualTo(other.apply(command, 0));
        }
        assertThat(state.allKeys()).containsExactlyElementsOf(other.allKeys());
        long deleted = 0;
        long keys = 0;
        for (KeyState key : state.allKeys()) {
            deleted += key.getDeleted() ? 1 : 0;
            keys++;
        }
        assertThat(state.tombstoneCount()).isEqualTo(deleted).isEqualTo(other.tombstoneCount());
        assertThat(state.keyCount()).isEqualTo(keys).isEqualTo(other.keyCount());
    }

    @Test
    void anImageStaysAsItWasWhileCommandsAreApplied() throws IOException {
        state.apply(commit("a", 1, "a1"), 0);
        state.apply(commit("b", 2, "b1"), 0);
        MetadataImage image = state.image();

        state.apply(commit("a", 3, "a2"), 0);
        state.apply(delete("b", 4), 0);
        state.apply(commit("c", 5, "c1"), 0);
        state.apply(
                MetadataCommand.newBuilder()
                        .setRegisterVolume(RegisterVolume.newBuilder().setVolumeId("v2"))
                        .build(),
                0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MetadataSnapshot.write(image, out);
        MetadataState loaded = new MetadataState();
        MetadataSnapshot.read(new ByteArrayInputStream(out.toByteArray()), loaded);

        assertThat(loaded.key("a").orElseThrow().getEtag()).isEqualTo("a1");
        assertThat(loaded.key("b").orElseThrow().getDeleted()).isFalse();
        assertThat(loaded.key("c")).isEmpty();
        assertThat(loaded.volumes()).isEmpty();
        assertThat(loaded.keyCount()).isEqualTo(2);
    }

    @Test
    void snapshotRoundTripsAndDamageIsRefused() throws IOException {
        state.apply(
                MetadataCommand.newBuilder()
                        .setRegisterVolume(
                                RegisterVolume.newBuilder().setVolumeId("v1").setHttpAddress("h:1"))
                        .build(),
                0);
        state.apply(
                MetadataCommand.newBuilder()
                        .setRegisterCoordinator(RegisterCoordinator.newBuilder()
                                .setCoordinatorId("c0")
                                .setHttpAddress("h:5000")
                                .setGrpcAddress("h:5001"))
                        .build(),
                0);
        for (int i = 0; i < 100; i++) {
            state.apply(commit("key" + i, i + 1, "e" + i), 0);
        }
        state.apply(delete("key7", 1000), 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MetadataSnapshot.write(state.image(), out);
        byte[] bytes = out.toByteArray();

        MetadataState loaded = new MetadataState();
        loaded.apply(commit("not-in-the-snapshot", 1, "gone"), 0);
        loaded.apply(commit("key3", 500, "newer here, replaced anyway"), 0);
        loaded.apply(
                MetadataCommand.newBuilder()
                        .setRegisterVolume(RegisterVolume.newBuilder().setVolumeId("v9"))
                        .build(),
                0);
        MetadataSnapshot.read(new ByteArrayInputStream(bytes), loaded);
        assertThat(loaded.allKeys()).containsExactlyElementsOf(state.allKeys());
        assertThat(loaded.oldestTombstone()).isEqualTo(1000);
        loaded.apply(purge(1001), 0);
        assertThat(loaded.key("key7")).as("a loaded tombstone can be purged").isEmpty();
        assertThat(loaded.volumes()).containsExactlyInAnyOrderElementsOf(state.volumes());
        assertThat(loaded.coordinators()).hasSize(1).containsExactlyInAnyOrderElementsOf(state.coordinators());

        for (int at : new int[] {0, 5, 20, bytes.length / 2, bytes.length - 1}) {
            byte[] damaged = bytes.clone();
            damaged[at] ^= 0x10;
            MetadataState untouched = new MetadataState();
            untouched.apply(commit("keep", 1, "x"), 0);
            assertThatThrownBy(() -> MetadataSnapshot.read(new ByteArrayInputStream(damaged), untouched))
                    .as("byte %d flipped", at)
                    .isInstanceOf(IOException.class);
            assertThat(untouched.key("keep")).isPresent();
        }
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 3);
        assertThatThrownBy(() -> MetadataSnapshot.read(new ByteArrayInputStream(truncated), new MetadataState()))
                .isInstanceOf(IOException.class);
    }
}
