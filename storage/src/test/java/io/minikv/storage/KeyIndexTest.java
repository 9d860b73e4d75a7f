package io.minikv.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class KeyIndexTest {
    private static Location loc(long seq) {
        return new Location((int) (seq % 7), seq * 10, (int) (seq % 1000), seq);
    }

    private static byte[] key(SplittableRandom random, int space) {
        return ("k" + random.nextInt(space)).getBytes(UTF_8);
    }

    @Test
    void behavesLikeASortedMapUnderRandomOperations() {
        long seed = new SplittableRandom().nextLong();
        SplittableRandom random = new SplittableRandom(seed);
        KeyIndex index = new KeyIndex();
        TreeMap<String, Location> model = new TreeMap<>();
        for (int step = 0; step < 200_000; step++) {
            byte[] key = key(random, 5_000);
            String name = new String(key, UTF_8);
            int op = random.nextInt(100);
            String context = "seed " + seed + " step " + step;
            if (op < 50) {
                Location location = loc(step);
                assertThat(index.put(key, location)).as(context).isEqualTo(model.put(name, location));
            } else if (op < 75) {
                assertThat(index.remove(key)).as(context).isEqualTo(model.remove(name));
            } else if (op < 90) {
                assertThat(index.get(key)).as(context).isEqualTo(model.get(name));
            } else if (op < 95) {
                Location expected = model.get(name);
                Location updated = loc(step);
                boolean moved = expected != null && random.nextBoolean();
                Location guess = moved ? expected : loc(step + 1);
                assertThat(index.relocate(key, guess, updated)).as(context).isEqualTo(moved);
                if (moved) {
                    model.put(name, updated);
                }
            } else {
                checkScan(index, model, random, context);
            }
            assertThat(index.size()).as(context).isEqualTo(model.size());
        }
    }

    private static void checkScan(
            KeyIndex index, TreeMap<String, Location> model, SplittableRandom random, String ctx) {
        String prefix = random.nextBoolean() ? "" : "k" + random.nextInt(10);
        String startAfter = random.nextBoolean() ? null : "k" + random.nextInt(5_000);
        int limit = random.nextInt(1, 300);
        List<String> expected = new ArrayList<>();
        for (String k : (startAfter == null ? model : model.tailMap(startAfter, false)).keySet()) {
            if (expected.size() == limit) {
                break;
            }
            if (k.startsWith(prefix)) {
                expected.add(k);
            } else if (k.compareTo(prefix) > 0) {
                break;
            }
        }
        List<String> actual =
                index
                        .scan(prefix.getBytes(UTF_8), startAfter == null ? null : startAfter.getBytes(UTF_8), limit)
                        .stream()
                        .map(b -> new String(b, UTF_8))
                        .toList();
        assertThat(actual)
                .as("%s: scan prefix=%s startAfter=%s limit=%d", ctx, prefix, startAfter, limit)
                .isEqualTo(expected);
    }

    @Test
    void arenaCompactionKeepsEveryLiveKeyAndOrder() {
        KeyIndex index = new KeyIndex();
        int count = 300_000;
        for (int i = 0; i < count; i++) {
            index.put(("key-%07d".formatted(i)).getBytes(UTF_8), loc(i));
        }
        assertThat(index.scan(new byte[0], null, 1)).hasSize(1);
        long before = index.memoryBytes();
        for (int i = 0; i < count; i++) {
            if (i % 4 != 0) {
                index.remove(("key-%07d".formatted(i)).getBytes(UTF_8));
            }
        }
        assertThat(index.memoryBytes()).isLessThan(before);
        assertThat(index.size()).isEqualTo(count / 4);
        for (int i = 0; i < count; i += 4) {
            assertThat(index.get(("key-%07d".formatted(i)).getBytes(UTF_8))).isEqualTo(loc(i));
        }
        List<byte[]> all = index.scan(new byte[0], null, count);
        assertThat(all).hasSize(count / 4);
        for (int i = 1; i < all.size(); i++) {
            assertThat(Arrays.compareUnsigned(all.get(i - 1), all.get(i))).isNegative();
        }
    }

    @Test
    void putIfNewerKeepsTheHighestSequence() {
        KeyIndex index = new KeyIndex();
        index.ensureCapacity(5_000_000);
        byte[] key = "k".getBytes(UTF_8);
        assertThat(index.putIfNewer(key, loc(5))).isNull();
        Location older = loc(3);
        assertThat(index.putIfNewer(key, older)).isSameAs(older);
        assertThat(index.putIfNewer(key, loc(5)))
                .as("equal sequence is a duplicate")
                .isEqualTo(loc(5));
        assertThat(index.get(key)).isEqualTo(loc(5));
        assertThat(index.putIfNewer(key, loc(9))).isEqualTo(loc(5));
        assertThat(index.get(key)).isEqualTo(loc(9));
    }

    @Test
    void ordersKeysAsUnsignedBytes() {
        KeyIndex index = new KeyIndex();
        byte[][] keys = {{(byte) 0xFF}, {0x01}, {(byte) 0x80, 0x00}, {0x7F}, {0x01, 0x00}};
        for (int i = 0; i < keys.length; i++) {
            index.put(keys[i], loc(i));
        }
        assertThat(index.scan(new byte[0], null, 10))
                .containsExactly(
                        new byte[] {0x01},
                        new byte[] {0x01, 0x00},
                        new byte[] {0x7F},
                        new byte[] {(byte) 0x80, 0x00},
                        new byte[] {(byte) 0xFF});
    }

    @Test
    void largeRecentBufferIsMergedAndStillScansCorrectly() {
        KeyIndex index = new KeyIndex();
        TreeMap<String, Location> model = new TreeMap<>();
        SplittableRandom random = new SplittableRandom(42);
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 20_000; i++) {
                String k = "r" + random.nextInt(1_000_000);
                index.put(k.getBytes(UTF_8), loc(i));
                model.put(k, loc(i));
            }
            index.prepareOrder();
            for (int probe = 0; probe < 50; probe++) {
                checkScan(index, model, random, "round " + round);
            }
        }
        List<String> all = index.scan(new byte[0], null, Integer.MAX_VALUE).stream()
                .map(b -> new String(b, UTF_8))
                .toList();
        assertThat(all).isEqualTo(new ArrayList<>(model.keySet()));
    }

    @Test
    void readersSeeConsistentLocationsWhileWritersGrowTheTable() throws Exception {
        KeyIndex index = new KeyIndex();
        Map<Integer, Location> stable = new TreeMap<>();
        for (int i = 0; i < 1000; i++) {
            stable.put(i, loc(i));
            index.put(("stable" + i).getBytes(UTF_8), loc(i));
        }
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            SplittableRandom random = new SplittableRandom(7);
            while (!done.get()) {
                int i = random.nextInt(1000);
                Location seen = index.get(("stable" + i).getBytes(UTF_8));
                if (!stable.get(i).equals(seen)) {
                    failure.set("stable" + i + " read as " + seen);
                }
            }
        });
        reader.start();
        for (int i = 0; i < 400_000; i++) {
            index.put(("churn" + i).getBytes(UTF_8), loc(i));
            if (i % 3 == 0) {
                index.remove(("churn" + (i / 2)).getBytes(UTF_8));
            }
        }
        done.set(true);
        reader.join();
        assertThat(failure.get()).isNull();
    }
}
