package io.minikv.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * I/O errors that are not crashes (a full disk, a media error): an operation may fail, but no
 * acknowledged write may be lost.
 */
@ExtendWith(QuietEngineLog.class)
class DiskErrorTest {
    private static final Path NAME = Path.of("lossy");
    private static final int KEYS = 40;

    private static byte[] key(int i) {
        return ("k" + i).getBytes(UTF_8);
    }

    private static long version(int key) {
        return key % 7 == 0 ? 3 : 2;
    }

    private static void assertAllIntact(Store store, String context) throws IOException {
        for (int i = 0; i < KEYS; i++) {
            byte[] expected = CheckedValue.encode(key(i), version(i), 500);
            assertThat(store.get(key(i)))
                    .as("k%d %s", i, context)
                    .hasValueSatisfying(v -> assertThat(v).isEqualTo(expected));
        }
    }

    /**
     * A compaction fails at each of its disk mutations in turn (a full disk), then the next one
     * succeeds. The compaction rewrites several segments into several outputs, so the failure also
     * strikes between finished outputs and inside an unfinished one.
     */
    @Test
    void aCompactionThatFailsAtAnyPointLosesNothing() throws IOException {
        StoreOptions options = StoreOptions.defaults().withSegmentSize(4096).withBackgroundCompaction(false);
        int failedCompactions = 0;
        for (int failAt = 1; ; failAt++) {
            LossyDisk disk = new LossyDisk(failAt);
            boolean injected;
            try (Store store = Store.open(NAME, disk.mount(), options)) {
                for (int version = 1; version <= 2; version++) {
                    for (int i = 0; i < KEYS; i++) {
                        store.put(key(i), CheckedValue.encode(key(i), version, 500));
                    }
                }
                // Waits for the sealing the rotations started, so that from here on the
                // compaction below is the only writer: each failAt hits the same mutation.
                store.compact();
                for (int i = 0; i < KEYS; i += 7) {
                    store.put(key(i), CheckedValue.encode(key(i), 3, 500));
                }
                disk.failAfter(failAt);
                try {
                    store.compact();
                } catch (IOException e) {
                    failedCompactions++;
                }
                injected = disk.errorsInjected > 0;
                disk.cancelFaults();
                String context = "after a compaction that failed at mutation " + failAt;
                assertAllIntact(store, context);
                store.compact();
                assertAllIntact(store, context + " and one that succeeded");
            }
            try (Store store = Store.open(NAME, disk.mount(), options)) {
                assertAllIntact(store, "after reopening; the first compaction failed at mutation " + failAt);
            }
            if (!injected) {
                break;
            }
        }
        System.out.println("DiskErrorTest: " + failedCompactions + " compactions failed");
        assertThat(failedCompactions).as("compactions that failed").isGreaterThan(20);
    }

    /**
     * A deleted key's old value sits in a segment that compaction retires; deleting that file
     * fails at each mutation in turn. The tombstone that hides the old value may go only once no
     * older record is left on disk.
     */
    @Test
    void aFailedDeletionOfACompactedSegmentKeepsTheTombstonesItNeeds() throws IOException {
        StoreOptions options = StoreOptions.defaults().withSegmentSize(4096).withBackgroundCompaction(false);
        byte[] deleted = "deleted".getBytes(UTF_8);
        for (int failAt = 1; ; failAt++) {
            LossyDisk disk = new LossyDisk(failAt);
            boolean injected;
            try (Store store = Store.open(NAME, disk.mount(), options)) {
                store.put(deleted, CheckedValue.encode(deleted, 1, 300));
                for (int i = 0; i < 9; i++) {
                    store.put(key(i), CheckedValue.encode(key(i), 1, 300));
                }
                store.compact();
                for (int i = 0; i < 9; i++) {
                    store.put(key(i), CheckedValue.encode(key(i), 2, 300));
                }
                store.delete(deleted);
                disk.failAfter(failAt);
                try {
                    // Rewrites the live records and the tombstone; deletes the segment that
                    // holds the old value, unless the injected error strikes there.
                    store.compact();
                } catch (IOException expected) {
                    // Whatever failed, the store must stay consistent.
                }
                injected = disk.errorsInjected > 0;
                disk.cancelFaults();
                // Garbage next to the tombstone, so that compaction looks at it again.
                store.put(key(0), CheckedValue.encode(key(0), 3, 300));
                store.compact();
                assertThat(store.get(deleted))
                        .as("deleted key, error at mutation %d", failAt)
                        .isEmpty();
            }
            try (Store store = Store.open(NAME, disk.mount(), options)) {
                assertThat(store.get(deleted).map(v -> CheckedValue.versionOf(deleted, v)))
                        .as("version of the deleted key after reopening, error at mutation %d", failAt)
                        .isEmpty();
                for (int i = 0; i < 9; i++) {
                    byte[] expected = CheckedValue.encode(key(i), i == 0 ? 3 : 2, 300);
                    assertThat(store.get(key(i)))
                            .hasValueSatisfying(v -> assertThat(v).isEqualTo(expected));
                }
            }
            if (!injected) {
                break;
            }
        }
    }
}
