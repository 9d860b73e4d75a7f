package io.minikv.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrent uploads to a volume in its own process, SIGKILL at a random moment, restart on the
 * same directory: every upload that was answered 201 is there with its etag and bytes, and any
 * other blob that is there is a whole upload, never part of one.
 */
class VolumeCrashTest {
    private static final int CYCLES = 4;
    private static final int UPLOADERS = 6;

    @TempDir
    Path dir;

    /** An upload as attempted: its bytes are generated again from the seed to check them. */
    record Upload(String key, long seed, int size) {
        byte[] bytes() {
            return VolumeHttpContractTest.bytes(size, seed);
        }
    }

    private final Map<String, Upload> attempted = new ConcurrentHashMap<>();
    private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    private final List<String> unexpectedAnswers = new CopyOnWriteArrayList<>();

    @Test
    void everyAcknowledgedUploadSurvivesSigkill() throws Exception {
        long seed = System.nanoTime();
        System.out.println("VolumeCrashTest seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            ChildVolume volume = ChildVolume.start(dir, "256m", 0);
            HttpTestClient client = new HttpTestClient(volume.address());
            checkEverything(client, volume);
            int target = acknowledged.size() + 10 + random.nextInt(30);
            ExecutorService uploaders = Executors.newFixedThreadPool(UPLOADERS);
            for (int t = 0; t < UPLOADERS; t++) {
                SplittableRandom own = random.split();
                String prefix = "c" + cycle + "/t" + t + "/";
                uploaders.execute(() -> uploadUntilKilled(client, prefix, own));
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> acknowledged.size() >= target || !unexpectedAnswers.isEmpty());
            volume.kill();
            uploaders.shutdown();
            assertThat(uploaders.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            volume.close();
        }
        try (ChildVolume volume = ChildVolume.start(dir, "256m", 0)) {
            checkEverything(new HttpTestClient(volume.address()), volume);
        }
        assertThat(unexpectedAnswers).isEmpty();
        assertThat(acknowledged).hasSizeGreaterThan(CYCLES * 10);
    }

    /** Uploads blobs of mixed sizes (both sides of the 32 KiB inline limit) until the server dies. */
    private void uploadUntilKilled(HttpTestClient client, String prefix, SplittableRandom random) {
        for (int i = 0; ; i++) {
            int size = random.nextBoolean() ? random.nextInt(32 * 1024 + 1) : 32 * 1024 + 1 + random.nextInt(1 << 20);
            Upload upload = new Upload(prefix + i, random.nextLong(), size);
            attempted.put(upload.key(), upload);
            HttpResponse<byte[]> response;
            try {
                response = client.http()
                        .send(
                                client.request(HttpTestClient.path(upload.key()))
                                        .PUT(HttpRequest.BodyPublishers.ofByteArray(upload.bytes()))
                                        .build(),
                                HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (response.statusCode() == 201) {
                acknowledged.put(
                        upload.key(), HttpTestClient.json(response).get("etag").asText());
            } else {
                unexpectedAnswers.add(
                        upload.key() + ": " + response.statusCode() + " " + HttpTestClient.text(response));
                return;
            }
        }
    }

    private void checkEverything(HttpTestClient client, ChildVolume volume) {
        List<String> present = allKeys(client);
        assertThat(present).as(volume.log()).containsAll(acknowledged.keySet());
        for (String key : present) {
            Upload upload = attempted.get(key);
            assertThat(upload).as("a key nobody uploaded: %s", key).isNotNull();
            HttpResponse<byte[]> response = client.get(key);
            assertThat(response.statusCode()).as(key).isEqualTo(200);
            String expected = VolumeHttpContractTest.md5(upload.bytes());
            assertThat(VolumeHttpContractTest.md5(response.body()))
                    .as("bytes of %s", key)
                    .isEqualTo(expected);
            assertThat(response.headers().firstValue("ETag")).hasValue("\"" + expected + "\"");
            String acknowledgedEtag = acknowledged.get(key);
            if (acknowledgedEtag != null) {
                assertThat(acknowledgedEtag).isEqualTo(expected);
            }
        }
    }

    private static List<String> allKeys(HttpTestClient client) {
        List<String> keys = new ArrayList<>();
        String after = "";
        while (true) {
            HttpResponse<byte[]> response = client.send(client.request("/blobs?limit=10000&start_after="
                    + HttpTestClient.path(after).substring("/blobs/".length())));
            if (response.statusCode() != 200) {
                throw new UncheckedIOException(new IOException("list answered " + response.statusCode()));
            }
            List<String> page = new ArrayList<>();
            HttpTestClient.json(response).forEach(node -> page.add(node.asText()));
            if (page.isEmpty()) {
                return keys;
            }
            keys.addAll(page);
            after = page.getLast();
        }
    }
}
