package io.minikv.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The store against a plain map: random puts, overwrites, deletes, streamed values, scans, reopens
 * and compactions interleaved. Replay a failure with -Dminikv.model.seed=SEED.
 */
class StoreModelTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Durability.class)
    void matchesAMapAcrossReopenRotationAndCompaction(Durability durability) throws IOException {
        long seed = Long.getLong("minikv.model.seed", new SplittableRandom().nextLong());
        SplittableRandom random = new SplittableRandom(seed);
        StoreOptions options = StoreOptions.defaults()
                .withDurability(durability)
                .withSegmentSize(32 * 1024)
                .withCompactionGarbageRatio(0.4)
                .withCompactionCheckInterval(Duration.ofMillis(20))
                .withCompactionBytesPerSecond(0);
        TreeMap<String, byte[]> model = new TreeMap<>();
        Store store = Store.open(dir, options);
        try {
            for (int step = 0; step < 6_000; step++) {
                String context = "seed " + seed + " step " + step;
                String key = "key/" + random.nextInt(400);
                int op = random.nextInt(1000);
                if (op < 450) {
                    byte[] value = value(random, random.nextInt(10) == 0 ? 3000 : 200);
                    store.put(key.getBytes(UTF_8), value);
                    model.put(key, value);
                } else if (op < 460) {
                    byte[] value = value(random, 70_000 + random.nextInt(50_000));
                    store.put(
                            key.getBytes(UTF_8),
                            new ByteArrayInputStream(value),
                            random.nextBoolean() ? value.length : -1);
                    model.put(key, value);
                } else if (op < 600) {
                    assertThat(store.delete(key.getBytes(UTF_8))).as(context).isEqualTo(model.remove(key) != null);
                } else if (op < 900) {
                    byte[] expected = model.get(key);
                    assertThat(store.get(key.getBytes(UTF_8)).orElse(null))
                            .as(context)
                            .isEqualTo(expected);
                } else if (op < 960) {
                    checkScan(store, model, random, context);
                } else if (op < 975) {
                    store.compact();
                } else {
                    store.close();
                    store = Store.open(dir, options);
                }
            }
            store.close();
            store = Store.open(dir, options);
            verifyAll(store, model, "seed " + seed + " final");
            store.compact();
            verifyAll(store, model, "seed " + seed + " after final compaction");
        } finally {
            store.close();
        }
    }

    private static byte[] value(SplittableRandom random, int length) {
        byte[] value = new byte[length];
        for (int i = 0; i < length; i++) {
            value[i] = (byte) random.nextInt(256);
        }
        return value;
    }

    private static void checkScan(Store store, TreeMap<String, byte[]> model, SplittableRandom random, String ctx) {
        String prefix = random.nextBoolean() ? "key/" : "key/" + random.nextInt(40);
        int limit = random.nextInt(1, 50);
        String startAfter = random.nextBoolean() ? null : "key/" + random.nextInt(400);
        List<String> expected = new ArrayList<>();
        for (String k : (startAfter == null ? model : model.tailMap(startAfter, false)).keySet()) {
            if (expected.size() < limit && k.startsWith(prefix)) {
                expected.add(k);
            }
        }
        List<String> actual =
                store
                        .scan(prefix.getBytes(UTF_8), startAfter == null ? null : startAfter.getBytes(UTF_8), limit)
                        .stream()
                        .map(b -> new String(b, UTF_8))
                        .toList();
        assertThat(actual).as(ctx).isEqualTo(expected);
    }

    private static void verifyAll(Store store, Map<String, byte[]> model, String context) throws IOException {
        assertThat(store.stats().keys()).as(context).isEqualTo(model.size());
        Map<String, byte[]> stored = new HashMap<>();
        for (byte[] key : store.scan(new byte[0], null, Integer.MAX_VALUE)) {
            stored.put(new String(key, UTF_8), store.get(key).orElseThrow());
        }
        assertThat(stored.keySet()).as(context).isEqualTo(model.keySet());
        for (Map.Entry<String, byte[]> entry : model.entrySet()) {
            assertThat(Arrays.equals(stored.get(entry.getKey()), entry.getValue()))
                    .as(context + " key " + entry.getKey())
                    .isTrue();
        }
    }
}
