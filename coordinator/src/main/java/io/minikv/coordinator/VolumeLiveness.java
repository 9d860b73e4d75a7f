package io.minikv.coordinator;

import io.grpc.StatusRuntimeException;
import io.minikv.proto.MinikvException;
import io.minikv.proto.v1.MetadataCommand;
import io.minikv.proto.v1.RegisterVolume;
import io.minikv.proto.v1.SetVolumeUp;
import io.minikv.proto.v1.StatsRequest;
import io.minikv.proto.v1.VolumeState;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Volume membership from heartbeats. Every coordinator records when it last heard from each volume;
 * the leader turns that into Raft entries: a volume it has not seen (or seen at new addresses) is
 * registered, a volume marked down that heartbeats again is marked up, and an up volume silent
 * for longer than the configured time is marked down. A new leader gives every volume that long
 * to reach it before marking anything down.
 */
final class VolumeLiveness {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeLiveness.class);

    /** What a heartbeat says. */
    record Heartbeat(String volumeId, String httpAddress, String grpcAddress) {}

    private final RaftNode raft;
    private final MetadataState state;
    private final VolumeClients volumes;
    private final Duration downAfter;
    private final ConcurrentHashMap<String, Long> lastSeen = new ConcurrentHashMap<>();
    private volatile long leaderSince = -1;

    VolumeLiveness(RaftNode raft, MetadataState state, VolumeClients volumes, Duration downAfter) {
        this.raft = raft;
        this.state = state;
        this.volumes = volumes;
        this.downAfter = downAfter;
    }

    /** Records a heartbeat; on the leader, registers the volume or marks it up when needed. */
    void heartbeat(Heartbeat heartbeat) {
        lastSeen.put(heartbeat.volumeId(), System.nanoTime());
        if (!raft.isLeaderReady()) {
            return;
        }
        Optional<VolumeState> known = state.volume(heartbeat.volumeId());
        if (known.isEmpty()
                || !known.get().getHttpAddress().equals(heartbeat.httpAddress())
                || !known.get().getGrpcAddress().equals(heartbeat.grpcAddress())) {
            submit(MetadataCommand.newBuilder()
                    .setRegisterVolume(RegisterVolume.newBuilder()
                            .setVolumeId(heartbeat.volumeId())
                            .setHttpAddress(heartbeat.httpAddress())
                            .setGrpcAddress(heartbeat.grpcAddress()))
                    .build());
            LOG.info(
                    "volume {} joined at {} (gRPC {})",
                    heartbeat.volumeId(),
                    heartbeat.httpAddress(),
                    heartbeat.grpcAddress());
        } else if (!known.get().getUp()) {
            submit(up(heartbeat.volumeId(), true));
            LOG.info("volume {} is up again", heartbeat.volumeId());
        }
    }

    /** On the leader: marks down every up volume that has been silent too long. */
    void markSilentVolumesDown() {
        if (!raft.isLeaderReady()) {
            leaderSince = -1;
            return;
        }
        long now = System.nanoTime();
        if (leaderSince < 0) {
            leaderSince = now;
        }
        if (now - leaderSince < downAfter.toNanos()) {
            return;
        }
        for (VolumeState volume : state.volumes()) {
            Long seen = lastSeen.get(volume.getVolumeId());
            if (volume.getUp() && (seen == null || now - seen > downAfter.toNanos()) && !answers(volume)) {
                submit(up(volume.getVolumeId(), false));
                LOG.warn(
                        "volume {} missed its heartbeats for {} ms: marked down",
                        volume.getVolumeId(),
                        downAfter.toMillis());
            }
        }
    }

    /**
     * On a follower: one {@code Stats} call to each registered volume (an answer counts as a sign of
     * life, as a heartbeat does). A follower calls the volumes only to serve reads, and a leader
     * elected with cold channels took 0.55-0.6 s over its first write, connecting them and loading
     * the client code on the way; with them warm, 0.14-0.33 s (measured, three kills each).
     */
    void keepChannelsWarm() {
        if (raft.isLeader()) {
            return;
        }
        for (VolumeState volume : state.volumes()) {
            answers(volume);
        }
    }

    /**
     * Asks a volume directly, with one {@code Stats} call. A silent volume's heartbeats may go to other
     * coordinators only (a coordinator added later is not in the volume's list), so silence here
     * alone does not mean it is down.
     */
    private boolean answers(VolumeState volume) {
        try {
            volumes.blocking(volume.getGrpcAddress())
                    .withDeadlineAfter(1, TimeUnit.SECONDS)
                    .stats(StatsRequest.getDefaultInstance());
            lastSeen.put(volume.getVolumeId(), System.nanoTime());
            return true;
        } catch (StatusRuntimeException e) {
            return false;
        }
    }

    private static MetadataCommand up(String volumeId, boolean up) {
        return MetadataCommand.newBuilder()
                .setSetVolumeUp(SetVolumeUp.newBuilder().setVolumeId(volumeId).setUp(up))
                .build();
    }

    private void submit(MetadataCommand command) {
        try {
            raft.submit(command);
        } catch (MinikvException.Unavailable e) {
            LOG.debug("volume membership change not made now: {}", e.getMessage());
        }
    }
}
