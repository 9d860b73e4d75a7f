package io.minikv.coordinator;

import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import io.minikv.proto.MinikvException;
import io.minikv.proto.Shards;
import io.minikv.proto.v1.CompactRequest;
import io.minikv.proto.v1.CompactResponse;
import io.minikv.proto.v1.DeleteRequest;
import io.minikv.proto.v1.KeyInfo;
import io.minikv.proto.v1.KeyState;
import io.minikv.proto.v1.ListKeysRequest;
import io.minikv.proto.v1.MetadataCommand;
import io.minikv.proto.v1.PullRequest;
import io.minikv.proto.v1.ReadRequest;
import io.minikv.proto.v1.ReadResponse;
import io.minikv.proto.v1.SetReplicas;
import io.minikv.proto.v1.StatsRequest;
import io.minikv.proto.v1.VolumeState;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's cluster operations (DESIGN.md §3), run by the leader: verify the volumes against
 * the metadata, repair what is missing or left over, rebalance replicas onto their rendezvous
 * placement, compact the volumes. Verify and repair walk every key of the metadata side by side
 * with every live volume's listing, one key at a time, so their memory does not grow with the
 * keys; a report lists the first {@link #MAX_REPORTED} problems or actions and counts them all.
 * They are meant for an operator, not for a loop.
 */
final class ClusterOperations {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterOperations.class);
    private static final int MAX_REPORTED = 1000;
    /** A walk may take long: repair copies as it goes, and a deep verify reads every replica. */
    private static final long LISTING_DEADLINE_HOURS = 6;

    /** The first {@link #MAX_REPORTED} entries of a report's list, and how many there were in all. */
    private static final class Reported<T> {
        final List<T> first = new ArrayList<>();
        long count;

        void add(T entry) {
            if (first.size() < MAX_REPORTED) {
                first.add(entry);
            }
            count++;
        }
    }

    /** One step taken (or, in a dry run, to be taken). */
    record Action(String action, String key, long version, String volume, String source) {}

    private final RaftNode raft;
    private final MetadataState state;
    private final VolumeClients volumes;
    private final Repairer repairer;
    private final int replicas;

    ClusterOperations(RaftNode raft, MetadataState state, VolumeClients volumes, Repairer repairer, int replicas) {
        this.raft = raft;
        this.state = state;
        this.volumes = volumes;
        this.repairer = repairer;
        this.replicas = replicas;
    }

    /** Compares every live volume with the metadata; {@code deep} also reads every replica and checks its MD5. */
    Map<String, Object> verify(boolean deep) {
        requireLeader();
        Map<String, VolumeState> up = upVolumes();
        List<String> down = state.volumes().stream()
                .filter(v -> !v.getUp())
                .map(VolumeState::getVolumeId)
                .toList();
        Reported<Map<String, Object>> problems = new Reported<>();
        long[] keys = {0};
        long[] checked = {0};
        walk(up, row -> {
                    Reconciliation.findings(row, state::key, down).forEach(f -> problems.add(describe(f)));
                    KeyState key = row.metadata();
                    if (key == null || key.getDeleted()) {
                        return;
                    }
                    keys[0]++;
                    for (String replica : key.getReplicasList()) {
                        VolumeState volume = up.get(replica);
                        if (volume == null) {
                            continue;
                        }
                        if (!deep) {
                            checked[0]++;
                        } else if (Reconciliation.holds(row, replica, key)) {
                            checked[0]++;
                            if (!readsBack(volume, key)) {
                                problems.add(describe(new Reconciliation.Finding(
                                        key.getKey(), replica, Reconciliation.Problem.MISSING, key.getVersion())));
                            }
                        }
                    }
                })
                .forEach((volume, why) -> problems.add(
                        describe(new Reconciliation.Finding(null, volume, Reconciliation.Problem.UNREACHABLE, 0))));
        Map<String, Long> prepared = new LinkedHashMap<>();
        up.forEach((id, volume) -> {
            try {
                prepared.put(
                        id,
                        volumes.blocking(volume.getGrpcAddress())
                                .withDeadlineAfter(10, TimeUnit.SECONDS)
                                .stats(StatsRequest.getDefaultInstance())
                                .getPrepared());
            } catch (StatusRuntimeException e) {
                LOG.warn("stats of volume {} failed: {}", id, e.getStatus());
            }
        });
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("ok", problems.count == 0);
        report.put("deep", deep);
        // Transactions prepared and not yet settled: writes in progress, or left for the resolver.
        report.put("prepared_transactions", prepared);
        report.put("keys", keys[0]);
        report.put("replicas_checked", checked[0]);
        report.put("problem_count", problems.count);
        report.put("problems", problems.first);
        return report;
    }

    private static Map<String, Object> describe(Reconciliation.Finding finding) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("key", finding.key());
        problem.put("volume", finding.volumeId());
        problem.put("problem", finding.problem().name().toLowerCase(Locale.ROOT));
        problem.put("version", finding.version());
        return problem;
    }

    /**
     * Copies the committed version to every live listed replica that lacks it and to live volumes
     * until each key has {@code n} live replicas, and deletes leftovers from volumes.
     */
    Map<String, Object> repair(int n, boolean dryRun) {
        requireLeader();
        Map<String, VolumeState> up = upVolumes();
        Reported<Action> actions = new Reported<>();
        long[] orphans = {0};
        long[] copies = {0};
        Map<String, String> unreachable = walk(up, row -> {
            for (Reconciliation.Finding finding : Reconciliation.findings(row, state::key, List.of())) {
                switch (finding.problem()) {
                    case MISSING -> {
                        KeyState key = row.metadata();
                        Optional<String> source = key.getReplicasList().stream()
                                .filter(r -> !r.equals(finding.volumeId()) && up.containsKey(r))
                                .filter(r -> Reconciliation.holds(row, r, key))
                                .findFirst();
                        if (source.isPresent()) {
                            copies[0]++;
                            actions.add(new Action(
                                    "copy", finding.key(), finding.version(), finding.volumeId(), source.get()));
                            if (!dryRun) {
                                pull(up.get(finding.volumeId()), up.get(source.get()), key);
                            }
                        }
                    }
                    case ORPHAN -> {
                        orphans[0]++;
                        actions.add(new Action("delete", finding.key(), finding.version(), finding.volumeId(), null));
                        if (!dryRun) {
                            deleteOn(up.get(finding.volumeId()), finding.key(), deletionVersion(finding));
                        }
                    }
                    case REPLICA_DOWN, UNREACHABLE -> {}
                }
            }
        });
        repairer.repair(n, dryRun, copy -> {
            copies[0]++;
            actions.add(new Action("copy", copy.key(), copy.version(), copy.to(), copy.from()));
        });
        long underReplicated = 0;
        for (KeyState key : state.allKeys()) {
            if (!key.getDeleted()
                    && key.getReplicasList().stream().filter(up::containsKey).count() < n) {
                underReplicated++;
            }
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("dry_run", dryRun);
        report.put("under_replicated", underReplicated);
        report.put("copies", copies[0]);
        report.put("orphans", orphans[0]);
        report.put("unreachable", List.copyOf(unreachable.keySet()));
        report.put("action_count", actions.count);
        report.put("actions", actions.first);
        return report;
    }

    /**
     * Moves replicas onto their rendezvous placement over the live volumes: a copy on each placed
     * volume that lacks one, then the replicas outside the placement are dropped from the metadata
     * and deleted.
     */
    Map<String, Object> rebalance() {
        requireLeader();
        Map<String, VolumeState> up = upVolumes();
        Reported<Action> actions = new Reported<>();
        int moved = 0;
        for (KeyState key : state.allKeys()) {
            if (key.getDeleted()) {
                continue;
            }
            List<String> placed = Placement.replicas(Shards.of(key.getKey()), up.keySet(), replicas);
            if (placed.size() < replicas || key.getReplicasList().equals(placed)) {
                continue;
            }
            Optional<String> source =
                    key.getReplicasList().stream().filter(up::containsKey).findFirst();
            if (source.isEmpty()) {
                continue;
            }
            boolean complete = true;
            for (String target : placed) {
                if (!key.getReplicasList().contains(target)) {
                    actions.add(new Action("copy", key.getKey(), key.getVersion(), target, source.get()));
                    complete &= pull(up.get(target), up.get(source.get()), key);
                }
            }
            if (!complete) {
                continue;
            }
            List<String> dropped = key.getReplicasList().stream()
                    .filter(r -> !placed.contains(r))
                    .toList();
            raft.submit(MetadataCommand.newBuilder()
                    .setSetReplicas(SetReplicas.newBuilder()
                            .setKey(key.getKey())
                            .setVersion(key.getVersion())
                            .addAllReplicas(placed))
                    .build());
            for (String gone : dropped) {
                actions.add(new Action("delete", key.getKey(), key.getVersion(), gone, null));
                VolumeState volume = up.get(gone);
                if (volume != null) {
                    deleteOn(volume, key.getKey(), key.getVersion());
                }
            }
            moved++;
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("moved", moved);
        report.put("action_count", actions.count);
        report.put("actions", actions.first);
        return report;
    }

    /**
     * Compacts every live volume, or with {@code shard} the live volumes that hold that shard's
     * replicas (a volume compacts its whole store: its files are not split by shard).
     */
    Map<String, Object> compact(Integer shard) {
        requireLeader();
        Map<String, VolumeState> up = upVolumes();
        List<String> targets =
                shard == null ? List.copyOf(up.keySet()) : Placement.replicas(shard, up.keySet(), replicas);
        List<Map<String, Object>> results = new ArrayList<>();
        for (String id : targets) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("id", id);
            try {
                CompactResponse response = volumes.blocking(up.get(id).getGrpcAddress())
                        .withDeadlineAfter(30, TimeUnit.MINUTES)
                        .compact(CompactRequest.getDefaultInstance());
                result.put("segments_compacted", response.getSegmentsCompacted());
                result.put("bytes_reclaimed", response.getBytesReclaimed());
            } catch (StatusRuntimeException e) {
                result.put(
                        "error", e.getStatus().getCode() + ": " + e.getStatus().getDescription());
            }
            results.add(result);
        }
        return Map.of("volumes", results);
    }

    private void requireLeader() {
        if (!raft.isLeaderReady()) {
            throw new MinikvException.Unavailable("this coordinator is not the leader");
        }
    }

    private Map<String, VolumeState> upVolumes() {
        Map<String, VolumeState> up = new LinkedHashMap<>();
        state.volumes().stream()
                .filter(VolumeState::getUp)
                .sorted(java.util.Comparator.comparing(VolumeState::getVolumeId))
                .forEach(v -> up.put(v.getVolumeId(), v));
        return up;
    }

    /**
     * Walks the metadata and the listings of the live volumes side by side ({@link KeyMerge}), a
     * key at a time, so memory does not grow with the keys. The listings are cancelled when the
     * walk ends, however it ends. Returns why each volume whose listing failed left the walk.
     */
    private Map<String, String> walk(Map<String, VolumeState> up, Consumer<KeyMerge.Row> visit) {
        Context.CancellableContext listings = Context.current().withCancellation();
        Context previous = listings.attach();
        try {
            Map<String, Iterator<Reconciliation.Held>> held = new LinkedHashMap<>();
            up.forEach((id, volume) -> held.put(id, listing(id, volume)));
            KeyMerge merge = new KeyMerge(state.allKeys().iterator(), held);
            while (merge.hasNext()) {
                visit.accept(merge.next());
            }
            merge.failures().forEach((id, why) -> LOG.warn("volume {} was left out of the walk: {}", id, why));
            return merge.failures();
        } finally {
            listings.detach(previous);
            listings.cancel(null);
        }
    }

    /** A volume's committed keys and deletions, in key order, as it streams them. */
    private Iterator<Reconciliation.Held> listing(String id, VolumeState volume) {
        Iterator<KeyInfo> keys = volumes.blocking(volume.getGrpcAddress())
                .withDeadlineAfter(LISTING_DEADLINE_HOURS, TimeUnit.HOURS)
                .listKeys(ListKeysRequest.newBuilder().setShard(-1).build());
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                try {
                    return keys.hasNext();
                } catch (StatusRuntimeException e) {
                    throw listingFailed(id, e);
                }
            }

            @Override
            public Reconciliation.Held next() {
                try {
                    KeyInfo info = keys.next();
                    return new Reconciliation.Held(
                            info.getMetadata().getKey(), info.getMetadata().getVersion(), info.getDeleted());
                } catch (StatusRuntimeException e) {
                    throw listingFailed(id, e);
                }
            }
        };
    }

    private static KeyMerge.ListingFailed listingFailed(String volume, StatusRuntimeException e) {
        return new KeyMerge.ListingFailed("listing volume " + volume + " failed: " + e.getStatus(), e);
    }

    /** Reads the replica's copy whole and compares its MD5 with the committed etag. */
    private boolean readsBack(VolumeState volume, KeyState key) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            Iterator<ReadResponse> parts = volumes.blocking(volume.getGrpcAddress())
                    .withDeadlineAfter(30, TimeUnit.MINUTES)
                    .read(ReadRequest.newBuilder()
                            .setKey(key.getKey())
                            .setVersion(key.getVersion())
                            .build());
            while (parts.hasNext()) {
                ReadResponse part = parts.next();
                if (part.hasChunk()) {
                    md5.update(part.getChunk().asReadOnlyByteBuffer());
                }
            }
            return HexFormat.of().formatHex(md5.digest()).equals(key.getEtag());
        } catch (StatusRuntimeException e) {
            LOG.warn("deep verify of {} on {} failed: {}", key.getKey(), volume.getVolumeId(), e.getStatus());
            return false;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    }

    private boolean pull(VolumeState target, VolumeState source, KeyState key) {
        try {
            volumes.blocking(target.getGrpcAddress())
                    .withDeadlineAfter(30, TimeUnit.MINUTES)
                    .pull(PullRequest.newBuilder()
                            .setKey(key.getKey())
                            .setVersion(key.getVersion())
                            .setSource(source.getGrpcAddress())
                            .build());
            return true;
        } catch (StatusRuntimeException e) {
            LOG.warn("copying {} to {} failed: {}", key.getKey(), target.getVolumeId(), e.getStatus());
            return false;
        }
    }

    /** A leftover is deleted as of the newer of its version and the metadata's, so that nothing newer is touched. */
    private long deletionVersion(Reconciliation.Finding orphan) {
        return state.key(orphan.key())
                .filter(KeyState::getDeleted)
                .map(k -> Math.max(k.getVersion(), orphan.version()))
                .orElse(orphan.version());
    }

    private void deleteOn(VolumeState volume, String key, long version) {
        try {
            volumes.blocking(volume.getGrpcAddress())
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .delete(DeleteRequest.newBuilder()
                            .setKey(key)
                            .setVersion(version)
                            .build());
        } catch (StatusRuntimeException e) {
            LOG.warn("deleting leftover {} on {} failed: {}", key, volume.getVolumeId(), e.getStatus());
        }
    }
}
