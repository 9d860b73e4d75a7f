package io.minikv.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minikv.proto.MinikvException;
import io.minikv.volume.HostPort;
import io.minikv.volume.VolumeConfig;
import io.minikv.volume.VolumeServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client over HTTP against a real standalone volume, which serves the coordinators' /blobs routes. */
class MinikvClientVolumeTest {
    private static final long MAX_BLOB_SIZE = 64L << 20;

    @TempDir
    Path dir;

    private VolumeServer volume;
    private MinikvClient client;

    @BeforeEach
    void start() throws IOException {
        volume = VolumeServer.start(VolumeConfig.standalone("v1", HostPort.parse("127.0.0.1:0"), dir)
                .withMaxBlobSize(MAX_BLOB_SIZE));
        client = MinikvClient.builder()
                .coordinators(List.of(
                        URI.create("http://127.0.0.1:" + volume.httpAddress().port())))
                .timeout(Duration.ofSeconds(30))
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        volume.close();
    }

    @Test
    void putThenGetHeadAndDelete() throws IOException {
        PutResult put = client.put("photos/a b.txt", "hello".getBytes(UTF_8));
        assertThat(put.key()).isEqualTo("photos/a b.txt");
        assertThat(put.size()).isEqualTo(5);
        assertThat(put.etag()).isEqualTo("5d41402abc4b2a76b9719d911017c592");
        assertThat(put.replicas()).isEmpty();

        try (Blob blob = client.get("photos/a b.txt")) {
            assertThat(blob.metadata())
                    .isEqualTo(new BlobMetadata("photos/a b.txt", 0, 5, put.etag(), "application/octet-stream"));
            assertThat(blob.data().readAllBytes()).asString(UTF_8).isEqualTo("hello");
        }
        assertThat(client.head("photos/a b.txt").etag()).isEqualTo(put.etag());

        client.delete("photos/a b.txt");
        assertThatThrownBy(() -> client.get("photos/a b.txt"))
                .isInstanceOf(MinikvException.NotFound.class)
                .hasMessage("Blob not found");
        assertThatThrownBy(() -> client.head("photos/a b.txt")).isInstanceOf(MinikvException.NotFound.class);
    }

    @Test
    void deletingAMissingKeySucceeds() {
        client.delete("never-there");
        assertThatThrownBy(() -> client.getBytes("never-there")).isInstanceOf(MinikvException.NotFound.class);
    }

    @Test
    void putKeepsTheContentType() throws IOException {
        byte[] json = "{}".getBytes(UTF_8);
        client.put("doc", new java.io.ByteArrayInputStream(json), json.length, "application/json", Condition.NONE);
        assertThat(client.head("doc").contentType()).isEqualTo("application/json");
    }

    @Test
    void listPagesThroughKeysInOrder() {
        for (String key : List.of("b/2", "a/1", "b/1", "b/3", "c/1")) {
            client.put(key, new byte[] {1});
        }
        assertThat(client.list("", "", 1000)).containsExactly("a/1", "b/1", "b/2", "b/3", "c/1");
        assertThat(client.list("b/", "", 2)).containsExactly("b/1", "b/2");
        assertThat(client.list("b/", "b/2", 2)).containsExactly("b/3");
    }

    @Test
    void conditionsAreChecked() {
        String etag = client.put("k", "v1".getBytes(UTF_8)).etag();
        InputStream v2 = new java.io.ByteArrayInputStream("v2".getBytes(UTF_8));
        assertThatThrownBy(() -> client.put("k", v2, 2, "text/plain", Condition.ifAbsent()))
                .isInstanceOf(MinikvException.PreconditionFailed.class);
        assertThatThrownBy(() -> client.put(
                        "k", InputStream.nullInputStream(), 0, "text/plain", Condition.ifMatch("0".repeat(32))))
                .isInstanceOf(MinikvException.PreconditionFailed.class);
        client.put(
                "k", new java.io.ByteArrayInputStream("v3".getBytes(UTF_8)), 2, "text/plain", Condition.ifMatch(etag));
        assertThat(client.getBytes("k")).asString(UTF_8).isEqualTo("v3");
        client.put("new", InputStream.nullInputStream(), 0, "text/plain", Condition.ifAbsent());
        assertThat(client.getBytes("new")).isEmpty();
    }

    @Test
    void badInputIsInvalidArgument() {
        assertThatThrownBy(() -> client.put("", new byte[1]))
                .isInstanceOf(MinikvException.InvalidArgument.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> client.get("a\u0001b")).isInstanceOf(MinikvException.InvalidArgument.class);
        assertThatThrownBy(() -> client.list("", "", 0))
                .isInstanceOf(MinikvException.InvalidArgument.class)
                .hasMessageContaining("limit");
    }

    @Test
    void valueOverTheServersLimitIsTooLarge() {
        assertThatThrownBy(() -> client.put("big", new byte[(int) MAX_BLOB_SIZE + 1]))
                .isInstanceOf(MinikvException.TooLarge.class);
    }

    /** 48 MiB of unknown length, streamed up and down: neither side holds it in memory whole. */
    @Test
    void largeValuesStreamBothWays() throws Exception {
        long size = 48L << 20;
        MessageDigest sent = MessageDigest.getInstance("MD5");
        PutResult put = client.put(
                "large",
                new DigestInputStream(new RandomBytes(size, 7), sent),
                -1,
                "application/octet-stream",
                Condition.NONE);
        assertThat(put.size()).isEqualTo(size);
        assertThat(put.etag()).isEqualTo(HexFormat.of().formatHex(sent.digest()));

        MessageDigest received = MessageDigest.getInstance("MD5");
        try (Blob blob = client.get("large")) {
            assertThat(blob.metadata().size()).isEqualTo(size);
            assertThat(new DigestInputStream(blob.data(), received).transferTo(java.io.OutputStream.nullOutputStream()))
                    .isEqualTo(size);
        }
        assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(put.etag());
    }

    @Test
    void healthOfAVolumeIsHealthy() {
        assertThat(client.health().status()).isEqualTo("healthy");
    }

    /** Seeded pseudo-random bytes, generated as they are read. */
    static final class RandomBytes extends InputStream {
        private final SplittableRandom random;
        private long remaining;

        RandomBytes(long size, long seed) {
            this.remaining = size;
            this.random = new SplittableRandom(seed);
        }

        @Override
        public int read() {
            if (remaining == 0) {
                return -1;
            }
            remaining--;
            return random.nextInt(256);
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(length, remaining);
            for (int i = 0; i < n; i++) {
                buffer[offset + i] = (byte) random.nextInt(256);
            }
            remaining -= n;
            return n;
        }
    }
}
