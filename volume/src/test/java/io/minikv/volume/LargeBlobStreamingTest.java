package io.minikv.volume;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Blob bodies stream both ways: a gigabyte goes through a server whose heap is a quarter of that. */
class LargeBlobStreamingTest {
    private static final long SIZE = 1L << 30;
    private static final String HEAP = "256m";

    @TempDir
    Path dir;

    @Test
    void oneGibibyteRoundTripsThroughA256MegabyteHeap() throws Exception {
        try (ChildVolume volume = ChildVolume.start(dir, HEAP, 0)) {
            HttpTestClient client = new HttpTestClient(volume.address());
            MessageDigest sent = MessageDigest.getInstance("MD5");
            long start = System.nanoTime();
            HttpResponse<byte[]> put = client.send(client.request("/blobs/big")
                    .PUT(HttpRequest.BodyPublishers.fromPublisher(
                            HttpRequest.BodyPublishers.ofInputStream(
                                    () -> new DigestInputStream(new GeneratedInput(SIZE, 42), sent)),
                            SIZE)));
            double uploadSeconds = (System.nanoTime() - start) / 1e9;
            assertThat(put.statusCode())
                    .as(HttpTestClient.text(put) + volume.log())
                    .isEqualTo(201);
            String etag = HexFormat.of().formatHex(sent.digest());
            assertThat(HttpTestClient.json(put).get("etag").asText()).isEqualTo(etag);

            start = System.nanoTime();
            HttpResponse<InputStream> get =
                    client.http().send(client.request("/blobs/big").build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(get.statusCode()).isEqualTo(200);
            MessageDigest received = MessageDigest.getInstance("MD5");
            long bytes = 0;
            try (InputStream body = get.body()) {
                byte[] buffer = new byte[1 << 16];
                for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                    received.update(buffer, 0, n);
                    bytes += n;
                }
            }
            double downloadSeconds = (System.nanoTime() - start) / 1e9;
            assertThat(bytes).isEqualTo(SIZE);
            assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(etag);
            long peakHeap = volume.peakHeapBytes();
            System.out.printf(
                    "1 GiB round trip with -Xmx%s: upload %.1f s, download %.1f s, server peak heap %d MiB%n",
                    HEAP, uploadSeconds, downloadSeconds, peakHeap >> 20);
        }
    }
}
