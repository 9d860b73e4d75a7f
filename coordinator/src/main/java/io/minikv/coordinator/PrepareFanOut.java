package io.minikv.coordinator;

import com.google.protobuf.ByteString;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.minikv.proto.MinikvException;
import io.minikv.proto.v1.PrepareHeader;
import io.minikv.proto.v1.PrepareRequest;
import io.minikv.proto.v1.PrepareResponse;
import io.minikv.proto.v1.PrepareTrailer;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Phase one of a write: streams one value to several replicas at once, as it arrives, and collects
 * their answers. Memory stays bounded: a chunk is read from the client only when every replica
 * still in the write can take it (gRPC flow control), so a slow replica slows the upload instead
 * of filling the heap; a replica that cannot take data for {@link #STALL_NANOS} is dropped from the
 * write (TIMED_OUT). The size and MD5 are computed on the way and sent in the trailer, which each
 * replica checks against what it stored.
 */
final class PrepareFanOut {
    static final int CHUNK = 128 * 1024;
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long ANSWER_TIMEOUT_MILLIS = 10_000;

    /** A replica to prepare on. */
    record Target(String volumeId, String grpcAddress) {
        /** The volume ids of {@code targets}, in order. */
        static List<String> volumeIds(List<Target> targets) {
            return targets.stream().map(Target::volumeId).toList();
        }
    }

    /** The replicas' answers, and the value as the replicas received it. */
    record Outcome(Map<String, PrepareResult> answers, long size, String etag) {}

    private final VolumeClients volumes;
    private final Object readiness = new Object();

    PrepareFanOut(VolumeClients volumes) {
        this.volumes = volumes;
    }

    /**
     * Prepares {@code body} on every target.
     *
     * @throws MinikvException.TooLarge when the body passes {@code maxSize}; every replica's upload is cancelled
     * @throws IOException when reading the body fails; every replica's upload is cancelled
     */
    Outcome run(List<Target> targets, PrepareHeader header, InputStream body, long maxSize) throws IOException {
        List<ReplicaUpload> uploads = new ArrayList<>();
        for (Target target : targets) {
            ReplicaUpload upload = new ReplicaUpload(target.volumeId());
            volumes.async(target.grpcAddress()).prepare(upload);
            upload.send(PrepareRequest.newBuilder().setHeader(header).build());
            uploads.add(upload);
        }
        MessageDigest md5 = md5();
        long size = 0;
        try {
            byte[] buffer = new byte[CHUNK];
            int n;
            while ((n = body.readNBytes(buffer, 0, buffer.length)) > 0) {
                size += n;
                if (size > maxSize) {
                    throw new MinikvException.TooLarge("value exceeds the limit of " + maxSize + " bytes");
                }
                md5.update(buffer, 0, n);
                PrepareRequest chunk = PrepareRequest.newBuilder()
                        .setChunk(ByteString.copyFrom(buffer, 0, n))
                        .build();
                for (ReplicaUpload upload : uploads) {
                    if (awaitReady(upload)) {
                        upload.send(chunk);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            uploads.forEach(u -> u.cancel("the upload failed: " + e.getMessage()));
            throw e;
        }
        String etag = HexFormat.of().formatHex(md5.digest());
        PrepareRequest trailer = PrepareRequest.newBuilder()
                .setTrailer(PrepareTrailer.newBuilder().setSize(size).setEtag(etag))
                .build();
        for (ReplicaUpload upload : uploads) {
            if (!upload.result.isDone()) {
                upload.send(trailer);
                upload.finish();
            }
        }
        Map<String, PrepareResult> answers = new LinkedHashMap<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ANSWER_TIMEOUT_MILLIS);
        for (ReplicaUpload upload : uploads) {
            answers.put(upload.volumeId, upload.await(deadline));
        }
        return new Outcome(answers, size, etag);
    }

    /** Waits until {@code upload} can take a message; false when it failed or stalled (then it is dropped). */
    private boolean awaitReady(ReplicaUpload upload) {
        long deadline = System.nanoTime() + STALL_NANOS;
        synchronized (readiness) {
            while (!upload.result.isDone() && !upload.requests.isReady()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    upload.timedOut();
                    return false;
                }
                try {
                    readiness.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 50)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new MinikvException.Unavailable("interrupted while uploading");
                }
            }
        }
        return !upload.result.isDone();
    }

    private void signal() {
        synchronized (readiness) {
            readiness.notifyAll();
        }
    }

    /** The etag of a whole value, as the replicas compute it: its MD5 in hex. */
    static String etag(byte[] data) {
        return HexFormat.of().formatHex(md5().digest(data));
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    }

    /** One replica's Prepare stream. */
    private final class ReplicaUpload implements ClientResponseObserver<PrepareRequest, PrepareResponse> {
        final String volumeId;
        final CompletableFuture<PrepareResult> result = new CompletableFuture<>();
        ClientCallStreamObserver<PrepareRequest> requests;

        ReplicaUpload(String volumeId) {
            this.volumeId = volumeId;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<PrepareRequest> requestStream) {
            this.requests = requestStream;
            requestStream.setOnReadyHandler(PrepareFanOut.this::signal);
        }

        void send(PrepareRequest message) {
            if (!result.isDone()) {
                requests.onNext(message);
            }
        }

        void finish() {
            requests.onCompleted();
        }

        void cancel(String why) {
            if (result.complete(PrepareResult.FAILED)) {
                requests.cancel(why, null);
            }
        }

        void timedOut() {
            if (result.complete(PrepareResult.TIMED_OUT)) {
                requests.cancel("the replica did not take data in time", null);
            }
        }

        PrepareResult await(long deadlineNanos) {
            try {
                return result.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                timedOut();
                return result.getNow(PrepareResult.TIMED_OUT);
            } catch (ExecutionException e) {
                return PrepareResult.FAILED;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                timedOut();
                return PrepareResult.TIMED_OUT;
            }
        }

        @Override
        public void onNext(PrepareResponse value) {}

        @Override
        public void onError(Throwable t) {
            result.complete(PrepareResult.FAILED);
            signal();
        }

        @Override
        public void onCompleted() {
            result.complete(PrepareResult.PREPARED);
            signal();
        }
    }
}
