package io.minikv.coordinator;

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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's cluster operations (DESIGN.md §3), run by the leader: verify the volumes against
 * the metadata, repair what is missing or left over, rebalance replicas onto their rendezvous
 * placement, compact the volumes. Each lists every key of every live volume, so it costs memory
 * in proportion to the keys; it is meant for an operator, not for a loop.
 */
final class ClusterOperations {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterOperations.class);
    private static final int MAX_REPORTED = 1000;

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
        Map<String, Map<String, Reconciliation.Held>> listings = listAll(up);
        List<String> down = state.volumes().stream()
                .filter(v -> !v.getUp())
                .map(VolumeState::getVolumeId)
                .toList();
        List<Reconciliation.Finding> findings =
                new ArrayList<>(Reconciliation.compare(snapshotKeys(), state::key, listings, down));
        long keys = 0;
        long checked = 0;
        if (deep) {
            for (KeyState key : snapshotKeys()) {
                if (key.getDeleted()) {
                    continue;
                }
                keys++;
                for (String replica : key.getReplicasList()) {
                    VolumeState volume = up.get(replica);
                    if (volume != null && holds(listings, replica, key)) {
                        checked++;
                        if (!readsBack(volume, key)) {
                            findings.add(new Reconciliation.Finding(
                                    key.getKey(), replica, Reconciliation.Problem.MISSING, key.getVersion()));
                        }
                    }
                }
            }
        } else {
            for (KeyState key : snapshotKeys()) {
                if (!key.getDeleted()) {
                    keys++;
                    checked += key.getReplicasList().stream()
                            .filter(up::containsKey)
                            .count();
                }
            }
        }
        List<Map<String, Object>> problems = new ArrayList<>();
        for (Reconciliation.Finding finding : findings) {
            if (problems.size() == MAX_REPORTED) {
                break;
            }
            Map<String, Object> problem = new LinkedHashMap<>();
            problem.put("key", finding.key());
            problem.put("volume", finding.volumeId());
            problem.put("problem", finding.problem().name().toLowerCase(java.util.Locale.ROOT));
            problem.put("version", finding.version());
            problems.add(problem);
        }
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
        report.put("ok", findings.isEmpty());
        report.put("deep", deep);
        // Transactions prepared and not yet settled: writes in progress, or left for the resolver.
        report.put("prepared_transactions", prepared);
        report.put("keys", keys);
        report.put("replicas_checked", checked);
        report.put("problem_count", findings.size());
        report.put("problems", problems);
        return report;
    }

    /**
     * Copies the committed version to every live listed replica that lacks it and to live volumes
     * until each key has {@code n} live replicas, and deletes leftovers from volumes.
     */
    Map<String, Object> repair(int n, boolean dryRun) {
        requireLeader();
        Map<String, VolumeState> up = upVolumes();
        Map<String, Map<String, Reconciliation.Held>> listings = listAll(up);
        List<Reconciliation.Finding> findings = Reconciliation.compare(snapshotKeys(), state::key, listings, List.of());
        List<Action> actions = new ArrayList<>();
        int orphans = 0;
        int copies = 0;
        for (Reconciliation.Finding finding : findings) {
            switch (finding.problem()) {
                case MISSING -> {
                    Optional<KeyState> key = state.key(finding.key());
                    Optional<String> source = key.flatMap(k -> k.getReplicasList().stream()
                            .filter(r -> !r.equals(finding.volumeId()) && up.containsKey(r))
                            .filter(r -> holds(listings, r, k))
                            .findFirst());
                    if (key.isPresent() && source.isPresent()) {
                        copies++;
                        actions.add(
                                new Action("copy", finding.key(), finding.version(), finding.volumeId(), source.get()));
                        if (!dryRun) {
                            pull(up.get(finding.volumeId()), up.get(source.get()), key.get());
                        }
                    }
                }
                case ORPHAN -> {
                    orphans++;
                    actions.add(new Action("delete", finding.key(), finding.version(), finding.volumeId(), null));
                    if (!dryRun) {
                        deleteOn(up.get(finding.volumeId()), finding.key(), deletionVersion(finding));
                    }
                }
                case REPLICA_DOWN, UNREACHABLE -> {}
            }
        }
        List<Repairer.Copy> added = repairer.repair(n, dryRun);
        for (Repairer.Copy copy : added) {
            actions.add(new Action("copy", copy.key(), copy.version(), copy.to(), copy.from()));
        }
        long underReplicated = snapshotKeys().stream()
                .filter(k -> !k.getDeleted())
                .filter(k ->
                        k.getReplicasList().stream().filter(up::containsKey).count() < n)
                .count();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("dry_run", dryRun);
        report.put("under_replicated", underReplicated);
        report.put("copies", copies + added.size());
        report.put("orphans", orphans);
        report.put("actions", actions.subList(0, Math.min(actions.size(), MAX_REPORTED)));
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
        List<Action> actions = new ArrayList<>();
        int moved = 0;
        for (KeyState key : snapshotKeys()) {
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
        report.put("actions", actions.subList(0, Math.min(actions.size(), MAX_REPORTED)));
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

    private List<KeyState> snapshotKeys() {
        List<KeyState> keys = new ArrayList<>();
        state.allKeys().forEach(keys::add);
        return keys;
    }

    private Map<String, VolumeState> upVolumes() {
        Map<String, VolumeState> up = new LinkedHashMap<>();
        state.volumes().stream()
                .filter(VolumeState::getUp)
                .sorted(java.util.Comparator.comparing(VolumeState::getVolumeId))
                .forEach(v -> up.put(v.getVolumeId(), v));
        return up;
    }

    private Map<String, Map<String, Reconciliation.Held>> listAll(Map<String, VolumeState> up) {
        Map<String, Map<String, Reconciliation.Held>> listings = new LinkedHashMap<>();
        up.forEach((id, volume) -> {
            try {
                Map<String, Reconciliation.Held> held = new java.util.HashMap<>();
                Iterator<KeyInfo> keys = volumes.blocking(volume.getGrpcAddress())
                        .withDeadlineAfter(10, TimeUnit.MINUTES)
                        .listKeys(ListKeysRequest.newBuilder().setShard(-1).build());
                keys.forEachRemaining(k -> held.put(
                        k.getMetadata().getKey(),
                        new Reconciliation.Held(
                                k.getMetadata().getKey(), k.getMetadata().getVersion(), k.getDeleted())));
                listings.put(id, held);
            } catch (StatusRuntimeException e) {
                LOG.warn("listing volume {} failed: {}", id, e.getStatus());
            }
        });
        return listings;
    }

    private static boolean holds(Map<String, Map<String, Reconciliation.Held>> listings, String volume, KeyState key) {
        Reconciliation.Held held = listings.getOrDefault(volume, Map.of()).get(key.getKey());
        return held != null && !held.deleted() && held.version() == key.getVersion();
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
