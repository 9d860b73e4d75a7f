package io.minikv.coordinator;

import io.minikv.proto.v1.CommitWrite;
import io.minikv.proto.v1.CommitWrites;
import io.minikv.proto.v1.CoordinatorState;
import io.minikv.proto.v1.DeleteKey;
import io.minikv.proto.v1.KeyState;
import io.minikv.proto.v1.MetadataCommand;
import io.minikv.proto.v1.MetadataResult.Outcome;
import io.minikv.proto.v1.Precondition;
import io.minikv.proto.v1.RegisterCoordinator;
import io.minikv.proto.v1.RegisterVolume;
import io.minikv.proto.v1.SetReplicas;
import io.minikv.proto.v1.SetVolumeUp;
import io.minikv.proto.v1.VolumeState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The cluster metadata that the coordinators replicate: every key's committed version and replicas,
 * and the volume table. {@link #apply} is deterministic (no clock, no randomness, no I/O), so every
 * coordinator that applies the same log reaches the same state. One thread applies; any thread may
 * read.
 */
public final class MetadataState {
    /** In {@link KeyOrder}, the order of the volumes' listings, so that verify can walk both side by side. */
    private final ConcurrentSkipListMap<OrderedKey, KeyState> keys = new ConcurrentSkipListMap<>();
    /** The size of {@link #keys}, which a skip list would count by walking it. Only the applier writes it. */
    private final AtomicLong keyCount = new AtomicLong();
    /** The deleted keys in the order of their deletion's version, so that the oldest are found without a scan. */
    private final ConcurrentSkipListSet<Tombstone> tombstones = new ConcurrentSkipListSet<>();
    /** The size of {@link #tombstones}, which a skip list would count by walking it. Only the applier writes it. */
    private final AtomicLong tombstoneCount = new AtomicLong();

    private record Tombstone(long version, String key) implements Comparable<Tombstone> {
        @Override
        public int compareTo(Tombstone other) {
            int byVersion = Long.compare(version, other.version);
            return byVersion != 0 ? byVersion : key.compareTo(other.key);
        }
    }

    private final ConcurrentHashMap<String, VolumeState> volumes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CoordinatorState> coordinators = new ConcurrentHashMap<>();
    /** Volume ids and content types, shared by the key states that name them. */
    private final SharedStrings shared = new SharedStrings();

    /**
     * Applies one command, found in a log entry of Raft term {@code term}, and says what came of it.
     * A commit or deletion whose version was chosen in another term is refused as STALE: a leader
     * that lost its term may still submit it, and the new leader may already have aborted its
     * prepared data (docs/cluster.md, fencing).
     */
    public Outcome apply(MetadataCommand command, long term) {
        return switch (command.getCommandCase()) {
            case REGISTER_VOLUME -> register(command.getRegisterVolume());
            case SET_VOLUME_UP -> setUp(command.getSetVolumeUp());
            case COMMIT_WRITE -> commitInTerm(command.getCommitWrite(), term);
            case COMMIT_WRITES -> {
                applyWrites(command.getCommitWrites(), term);
                yield Outcome.APPLIED;
            }
            case DELETE_KEY ->
                Versions.term(command.getDeleteKey().getVersion()) == term
                        ? delete(command.getDeleteKey())
                        : Outcome.STALE;
            case SET_REPLICAS -> setReplicas(command.getSetReplicas());
            case REGISTER_COORDINATOR -> registerCoordinator(command.getRegisterCoordinator());
            case PURGE_TOMBSTONES -> purge(command.getPurgeTombstones().getDeletedBeforeVersion());
            case COMMAND_NOT_SET -> throw new IllegalArgumentException("empty metadata command");
        };
    }

    /**
     * Applies each write of a batch, in order, as a {@code CommitWrite} entry of its own would be
     * applied; returns their outcomes in the same order.
     */
    public List<Outcome> applyWrites(CommitWrites batch, long term) {
        List<Outcome> outcomes = new ArrayList<>(batch.getWritesCount());
        for (CommitWrite write : batch.getWritesList()) {
            outcomes.add(commitInTerm(write, term));
        }
        return outcomes;
    }

    private Outcome commitInTerm(CommitWrite write, long term) {
        return Versions.term(write.getVersion()) == term ? commit(write) : Outcome.STALE;
    }

    /** The key's state, deletions included. */
    public Optional<KeyState> key(String key) {
        return Optional.ofNullable(keys.get(OrderedKey.of(key)));
    }

    /**
     * Up to {@code limit} committed (not deleted) keys with {@code prefix} after {@code startAfter},
     * in {@link KeyOrder}.
     */
    public List<KeyState> list(String prefix, String startAfter, int limit) {
        ConcurrentNavigableMap<OrderedKey, KeyState> tail =
                startAfter == null || KeyOrder.INSTANCE.compare(startAfter, prefix) < 0
                        ? keys.tailMap(OrderedKey.of(prefix), true)
                        : keys.tailMap(OrderedKey.of(startAfter), false);
        List<KeyState> page = new ArrayList<>();
        for (Map.Entry<OrderedKey, KeyState> entry : tail.entrySet()) {
            if (!entry.getKey().key().startsWith(prefix) || page.size() >= limit) {
                break;
            }
            if (!entry.getValue().getDeleted()) {
                page.add(entry.getValue());
            }
        }
        return page;
    }

    public Collection<VolumeState> volumes() {
        return List.copyOf(volumes.values());
    }

    public Optional<VolumeState> volume(String id) {
        return Optional.ofNullable(volumes.get(id));
    }

    public Collection<CoordinatorState> coordinators() {
        return List.copyOf(coordinators.values());
    }

    public Optional<CoordinatorState> coordinator(String id) {
        return Optional.ofNullable(coordinators.get(id));
    }

    /** The state as it is now, frozen; call it while no command is being applied. */
    MetadataImage image() {
        return new MetadataImage(
                List.copyOf(coordinators.values()), List.copyOf(volumes.values()), List.copyOf(keys.values()));
    }

    /**
     * Every key state, deletions included, in {@link KeyOrder}; consistent when no command is being
     * applied, else each key as it was when the walk passed it.
     */
    public Iterable<KeyState> allKeys() {
        return keys.values();
    }

    public long keyCount() {
        return keyCount.get();
    }

    public long tombstoneCount() {
        return tombstoneCount.get();
    }

    /** The version of the oldest deletion still kept, or {@link Long#MAX_VALUE} when none is. */
    public long oldestTombstone() {
        // Not isEmpty() then first(): the set may empty in between (a purge being applied).
        Iterator<Tombstone> oldest = tombstones.iterator();
        return oldest.hasNext() ? oldest.next().version() : Long.MAX_VALUE;
    }

    /**
     * Replaces the whole state (loading a snapshot). Entries are overwritten first and only then are
     * those the snapshot lacks removed: a read running meanwhile never finds a key, volume or
     * coordinator missing that both the old and the new state hold.
     */
    public void reset(
            Iterable<KeyState> keyStates,
            Iterable<VolumeState> volumeStates,
            Iterable<CoordinatorState> coordinatorStates) {
        replace(keys, keyStates, key -> OrderedKey.of(key.getKey()));
        keyCount.set(keys.size());
        tombstones.clear();
        long count = 0;
        for (KeyState key : keys.values()) {
            if (key.getDeleted() && tombstones.add(new Tombstone(key.getVersion(), key.getKey()))) {
                count++;
            }
        }
        tombstoneCount.set(count);
        replace(volumes, volumeStates, VolumeState::getVolumeId);
        replace(coordinators, coordinatorStates, CoordinatorState::getCoordinatorId);
    }

    private static <K, T> void replace(Map<K, T> map, Iterable<T> entries, Function<T, K> id) {
        Set<K> kept = new HashSet<>();
        for (T entry : entries) {
            K key = id.apply(entry);
            map.put(key, entry);
            kept.add(key);
        }
        map.keySet().retainAll(kept);
    }

    private Outcome registerCoordinator(RegisterCoordinator command) {
        coordinators.put(
                command.getCoordinatorId(),
                CoordinatorState.newBuilder()
                        .setCoordinatorId(command.getCoordinatorId())
                        .setHttpAddress(command.getHttpAddress())
                        .setGrpcAddress(command.getGrpcAddress())
                        .build());
        return Outcome.APPLIED;
    }

    private Outcome register(RegisterVolume command) {
        volumes.put(
                command.getVolumeId(),
                VolumeState.newBuilder()
                        .setVolumeId(command.getVolumeId())
                        .setHttpAddress(command.getHttpAddress())
                        .setGrpcAddress(command.getGrpcAddress())
                        .setUp(true)
                        .build());
        return Outcome.APPLIED;
    }

    private Outcome setUp(SetVolumeUp command) {
        VolumeState volume = volumes.get(command.getVolumeId());
        if (volume == null) {
            return Outcome.NOT_FOUND;
        }
        volumes.put(
                command.getVolumeId(), volume.toBuilder().setUp(command.getUp()).build());
        return Outcome.APPLIED;
    }

    private Outcome commit(CommitWrite command) {
        OrderedKey key = OrderedKey.of(command.getKey());
        KeyState current = keys.get(key);
        if (current != null && current.getVersion() >= command.getVersion()) {
            return Outcome.STALE;
        }
        if (!holds(command.getPrecondition(), current)) {
            return Outcome.PRECONDITION_FAILED;
        }
        if (current != null && current.getDeleted()) {
            if (tombstones.remove(new Tombstone(current.getVersion(), current.getKey()))) {
                tombstoneCount.decrementAndGet();
            }
        }
        if (current == null) {
            keyCount.incrementAndGet();
        }
        // The key's string from the state it replaces, which is likely old already (SharedStrings).
        KeyState.Builder state = KeyState.newBuilder()
                .setKey(current != null ? current.getKey() : command.getKey())
                .setVersion(command.getVersion())
                .setTransactionId(command.getTransactionId())
                .setSize(command.getSize())
                .setEtag(command.getEtag())
                .setContentType(shared.of(command.getContentType()))
                .setCreatedAtMillis(command.getCreatedAtMillis());
        addReplicas(state, command.getReplicasList());
        keys.put(key, state.build());
        return Outcome.APPLIED;
    }

    private Outcome delete(DeleteKey command) {
        OrderedKey key = OrderedKey.of(command.getKey());
        KeyState current = keys.get(key);
        if (current != null && current.getVersion() >= command.getVersion()) {
            return Outcome.STALE;
        }
        if (!holds(command.getPrecondition(), current)) {
            return Outcome.PRECONDITION_FAILED;
        }
        if (current == null || current.getDeleted()) {
            return Outcome.NOT_FOUND;
        }
        // The deletion keeps the version and the replicas, so that volumes still holding the data
        // can be told to delete it and older commits arriving late are recognised as stale.
        keys.put(
                key,
                current.toBuilder()
                        .setVersion(command.getVersion())
                        .setDeleted(true)
                        .build());
        if (tombstones.add(new Tombstone(command.getVersion(), command.getKey()))) {
            tombstoneCount.incrementAndGet();
        }
        return Outcome.APPLIED;
    }

    /**
     * Forgets the deletions of versions below {@code before}: the key is then absent, as if it had
     * never been written. Kept for a while, a deletion lets volumes still holding the data be told to
     * delete it and refuses a commit of an older version arriving late; once no such commit can
     * arrive, it is only memory.
     */
    private Outcome purge(long before) {
        // Keys are never empty, so this bound sorts before every tombstone of version {@code before}.
        Set<Tombstone> old = tombstones.headSet(new Tombstone(before, ""));
        if (old.isEmpty()) {
            return Outcome.NOT_FOUND;
        }
        long purged = 0;
        for (Tombstone tombstone : old) {
            keys.remove(OrderedKey.of(tombstone.key()));
            purged++;
        }
        old.clear();
        tombstoneCount.addAndGet(-purged);
        keyCount.addAndGet(-purged);
        return Outcome.APPLIED;
    }

    private Outcome setReplicas(SetReplicas command) {
        OrderedKey key = OrderedKey.of(command.getKey());
        KeyState current = keys.get(key);
        if (current == null || current.getDeleted() || current.getVersion() != command.getVersion()) {
            return Outcome.STALE;
        }
        KeyState.Builder state = current.toBuilder().clearReplicas();
        addReplicas(state, command.getReplicasList());
        keys.put(key, state.build());
        return Outcome.APPLIED;
    }

    private void addReplicas(KeyState.Builder state, List<String> volumeIds) {
        for (String volumeId : volumeIds) {
            state.addReplicas(shared.of(volumeId));
        }
    }

    private static boolean holds(Precondition precondition, KeyState current) {
        boolean exists = current != null && !current.getDeleted();
        return switch (precondition.getConditionCase()) {
            case IF_MATCH -> exists && current.getEtag().equals(precondition.getIfMatch());
            case IF_ABSENT -> !exists;
            case CONDITION_NOT_SET -> true;
        };
    }
}
