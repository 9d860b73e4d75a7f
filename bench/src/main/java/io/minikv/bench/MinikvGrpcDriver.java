package io.minikv.bench;

import io.minikv.client.Blob;
import io.minikv.client.MinikvClient;
import io.minikv.client.Protocol;
import io.minikv.client.ReadPreference;
import io.minikv.client.UnexpectedResponseException;
import io.minikv.proto.MinikvException;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * minikv through its public gRPC API, {@code minikv.v1.KV} (docs/protocol.md), with the Java client,
 * as jetcd drives etcd over gRPC. Each member has its own reading client whose coordinator list
 * starts with that member. With {@link ReadPreference#ANY} a get goes to member {@code client %
 * members}, as jetcd spreads its calls, and a follower answers it itself after a linearizable read
 * index; with {@link ReadPreference#LEADER}, the Java client's default, the readers move to the
 * leader the first answer names. Writes go through {@code connectionsPerMember} clients per member
 * that know every coordinator and start each put at the leader the last answer named ({@code
 * x-minikv-leader}), as an application with the Java client would; the readers never write, so that
 * with spread reads a put cannot move them to the leader.
 */
final class MinikvGrpcDriver implements KvDriver {
    private final List<MinikvClient> readers = new ArrayList<>();
    private final List<MinikvClient> writers = new ArrayList<>();

    MinikvGrpcDriver(List<String> grpcTargets, int connectionsPerMember, ReadPreference reads, Duration timeout) {
        for (int member = 0; member < grpcTargets.size(); member++) {
            readers.add(client(startingAt(grpcTargets, member), reads, timeout));
        }
        for (int c = 0; c < connectionsPerMember * grpcTargets.size(); c++) {
            writers.add(client(startingAt(grpcTargets, c % grpcTargets.size()), reads, timeout));
        }
    }

    @Override
    public void put(int client, String key, byte[] value) throws IOException, InterruptedException {
        try {
            writers.get(client % writers.size()).put(key, value);
        } catch (MinikvException | UnexpectedResponseException e) {
            throw new IOException("minikv: PUT " + key + ": " + e.getMessage(), e);
        } catch (CancellationException e) {
            throw interrupted(e);
        }
    }

    @Override
    public int get(int client, String key) throws IOException, InterruptedException {
        try (Blob blob = readers.get(client % readers.size()).get(key)) {
            return Math.toIntExact(blob.data().transferTo(OutputStream.nullOutputStream()));
        } catch (MinikvException | UnexpectedResponseException e) {
            throw new IOException("minikv: GET " + key + ": " + e.getMessage(), e);
        } catch (CancellationException e) {
            throw interrupted(e);
        }
    }

    /** The client answers an interrupted wait with CancellationException and the thread's interrupt flag set. */
    private static InterruptedException interrupted(CancellationException e) {
        Thread.interrupted();
        InterruptedException interrupted = new InterruptedException(e.getMessage());
        interrupted.initCause(e);
        return interrupted;
    }

    @Override
    public void close() {
        readers.forEach(MinikvClient::close);
        writers.forEach(MinikvClient::close);
    }

    private static MinikvClient client(List<String> targets, ReadPreference reads, Duration timeout) {
        return MinikvClient.builder()
                .protocol(Protocol.GRPC)
                .grpcTargets(targets)
                .reads(reads)
                .timeout(timeout)
                .build();
    }

    /** The targets rotated so that {@code first} leads: the order a client tries them in. */
    private static List<String> startingAt(List<String> targets, int first) {
        List<String> rotated = new ArrayList<>(targets);
        Collections.rotate(rotated, -first);
        return rotated;
    }
}
