package io.minikv.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Random operations on a {@link LossyDisk} with power failures and process crashes at random
 * points, inside operations too, checked against a model of what each key may hold.
 *
 * <p>With ALWAYS durability, every acknowledged write survives, and only the one write in flight
 * at the crash may or may not have happened. Whatever a store serves after recovery stands: a later
 * crash may not take it back either. With NEVER durability a crash may lose writes since the last
 * {@link Store#sync()} or clean close, but every value that comes back is one that was written for
 * that key, intact.
 *
 * <p>I/O errors that are not crashes (a full disk) are injected too: the failed operation may or may
 * not have happened, and nothing else may be lost.
 *
 * <p>Seeds: {@code minikv.powerloss.seed}. Background sealing and compaction run on their own
 * thread, so a replay repeats the operations and crash points but not every interleaving.
 */
@ExtendWith(QuietEngineLog.class)
class PowerLossTest {
    private static final int KEYS = 24;
    private static final Path NAME = Path.of("lossy");

    @Test
    void acknowledgedWritesSurvivePowerLossAtAnyPoint() throws Exception {
        Totals totals = runScenarios(Durability.ALWAYS, 24, 500);
        assertThat(totals.powerLosses).as("power failures").isGreaterThan(100);
        assertThat(totals.unsyncedWritesLost).as("unsynced writes lost").isPositive();
        assertThat(totals.tornWrites).as("torn writes").isPositive();
        assertThat(totals.directoryChangesUndone).as("directory changes undone").isPositive();
        assertThat(totals.crashesInsideOperations)
                .as("crashes inside operations")
                .isGreaterThan(50);
    }

    @Test
    void withoutSyncACrashLosesWritesButNeverGarblesThem() throws Exception {
        Totals totals = runScenarios(Durability.NEVER, 16, 500);
        assertThat(totals.unsyncedWritesLost).as("unsynced writes lost").isPositive();
        assertThat(totals.writesLost).as("unsynced writes lost whole").isPositive();
    }

    @Test
    void whatRecoveryServesAfterAProcessCrashSurvivesALaterPowerFailure() throws Exception {
        LossyDisk disk = new LossyDisk(1);
        StoreOptions options = StoreOptions.defaults().withBackgroundCompaction(false);
        byte[] key = "k".getBytes(UTF_8);
        Store store = Store.open(NAME, disk.mount(), options);
        store.put(key, CheckedValue.encode(key, 1, 100));
        // The record of version 2 is written, then the process dies at its fdatasync.
        disk.crashAfter(2, false);
        assertThatThrownBy(() -> store.put(key, CheckedValue.encode(key, 2, 100)))
                .isInstanceOf(IOException.class);
        Scenario.closeDead(store);

        Store recovered = Store.open(NAME, disk.mount(), options);
        assertThat(Scenario.read(recovered, "k"))
                .as("in flight at the crash; found on disk")
                .isEqualTo(KeyState.of(2));
        disk.crashLosingEverythingUnsynced();
        Scenario.closeDead(recovered);

        try (Store afterPowerFailure = Store.open(NAME, disk.mount(), options)) {
            assertThat(Scenario.read(afterPowerFailure, "k"))
                    .as("a value the store served must not be taken back by a crash")
                    .isEqualTo(KeyState.of(2));
        }
    }

    @Test
    void syncMakesWritesInJustRotatedSegmentsDurable() throws Exception {
        LossyDisk disk = new LossyDisk(1);
        StoreOptions options = StoreOptions.defaults()
                .withDurability(Durability.NEVER)
                .withSegmentSize(4096)
                .withBackgroundCompaction(false);
        Store store = Store.open(NAME, disk.mount(), options);
        // Sealing (which fdatasyncs a rotated segment) runs on the store's background thread; held
        // here, it cannot have run before the crash, as may happen in a race.
        disk.hold("minikv-maintenance");
        try {
            for (int i = 0; i < 10; i++) {
                byte[] key = ("k" + i).getBytes(UTF_8);
                store.put(key, CheckedValue.encode(key, i, 1000));
            }
            assertThat(store.stats().segments()).as("segments").isGreaterThan(1);
            store.sync();
            disk.crashLosingEverythingUnsynced();
        } finally {
            disk.release();
        }
        Scenario.closeDead(store);
        try (Store recovered = Store.open(NAME, disk.mount(), options)) {
            for (int i = 0; i < 10; i++) {
                assertThat(Scenario.read(recovered, "k" + i))
                        .as("k%d, synced before the crash", i)
                        .isEqualTo(KeyState.of(i));
            }
        }
    }

    @Test
    void compactionKeepsASyncedValueUntilTheValueReplacingItIsSynced() throws Exception {
        LossyDisk disk = new LossyDisk(1);
        StoreOptions options = StoreOptions.defaults()
                .withDurability(Durability.NEVER)
                .withSegmentSize(4096)
                .withCompactionGarbageRatio(0.01)
                .withCompactionCheckInterval(Duration.ofMillis(5));
        byte[] key = "k".getBytes(UTF_8);
        try (Store store = Store.open(NAME, disk.mount(), options)) {
            store.put(key, CheckedValue.encode(key, 1, 1000));
            for (int i = 0; i < 10; i++) {
                byte[] filler = ("filler" + i).getBytes(UTF_8);
                store.put(filler, CheckedValue.encode(filler, 1, 1000));
            }
        }
        Store store = Store.open(NAME, disk.mount(), options);
        long compactionsBefore = store.stats().compactions();
        store.put(key, CheckedValue.encode(key, 2, 1000));
        // Version 1 is garbage now; background compaction rewrites its segment without it.
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> store.stats().compactions() > compactionsBefore);
        disk.crashLosingEverythingUnsynced();
        Scenario.closeDead(store);
        try (Store recovered = Store.open(NAME, disk.mount(), options)) {
            assertThat(Scenario.read(recovered, "k"))
                    .as("version 1 was synced (clean close); version 2 may be lost, not both")
                    .isIn(KeyState.of(1), KeyState.of(2));
        }
    }

    /**
     * Several writers share group commits while a power failure strikes at a random disk mutation;
     * each writer owns its keys, so a key's history is its writer's order.
     */
    @Test
    void concurrentWritersLoseNoAcknowledgedWriteToPowerLoss() throws Exception {
        long seed = Long.getLong("minikv.powerloss.seed", System.nanoTime());
        String replay = " (replay with -Dminikv.powerloss.seed=" + seed + "; interleavings differ)";
        SplittableRandom random = new SplittableRandom(seed);
        LossyDisk disk = new LossyDisk(random.nextLong());
        StoreOptions options = StoreOptions.defaults()
                .withSegmentSize(16 * 1024)
                .withCompactionGarbageRatio(0.3)
                .withCompactionBytesPerSecond(0)
                .withCompactionCheckInterval(Duration.ofMillis(5));
        int threads = 4;
        int keysPerThread = 6;
        Map<String, Set<KeyState>> allowed = new ConcurrentHashMap<>();
        for (int t = 0; t < threads; t++) {
            for (int k = 0; k < keysPerThread; k++) {
                allowed.put("t" + t + "-" + k, Set.of(KeyState.ABSENT));
            }
        }
        long acknowledged = 0;
        for (int cycle = 1; cycle <= 40; cycle++) {
            Store store = Store.open(NAME, disk.mount(), options);
            disk.crashAfter(random.nextInt(1, 400), true);
            List<Thread> writers = new ArrayList<>();
            List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
            AtomicLong acks = new AtomicLong();
            for (int t = 0; t < threads; t++) {
                SplittableRandom threadRandom = random.split();
                long versionBase = (long) cycle << 40 | (long) t << 32;
                int thread = t;
                writers.add(Thread.ofPlatform().start(() -> {
                    long version = versionBase;
                    try {
                        for (; ; ) {
                            String key = "t" + thread + "-" + threadRandom.nextInt(keysPerThread);
                            byte[] k = key.getBytes(UTF_8);
                            int dice = threadRandom.nextInt(10);
                            KeyState outcome = dice == 0 ? KeyState.ABSENT : KeyState.of(++version);
                            Set<KeyState> before = allowed.get(key);
                            Set<KeyState> during = new HashSet<>(before);
                            during.add(outcome);
                            allowed.put(key, during);
                            if (dice == 0) {
                                store.delete(k);
                            } else if (dice == 1) {
                                byte[] value =
                                        CheckedValue.encode(k, version, threadRandom.nextInt(65 * 1024, 90 * 1024));
                                store.put(k, new ByteArrayInputStream(value), value.length);
                            } else {
                                store.put(
                                        k,
                                        CheckedValue.encode(
                                                k, version, threadRandom.nextInt(CheckedValue.overhead(k), 2000)));
                            }
                            allowed.put(key, Set.of(outcome));
                            acks.incrementAndGet();
                        }
                    } catch (IOException | RuntimeException e) {
                        if (!disk.isDead()) {
                            failures.add(e);
                        }
                    }
                }));
            }
            for (Thread writer : writers) {
                writer.join();
            }
            assertThat(failures)
                    .as("writes failing without a crash in cycle %d%s", cycle, replay)
                    .isEmpty();
            acknowledged += acks.get();
            Scenario.closeDead(store);
            try (Store recovered = Store.open(NAME, disk.mount(), options)) {
                for (Map.Entry<String, Set<KeyState>> entry : allowed.entrySet()) {
                    KeyState found = Scenario.read(recovered, entry.getKey());
                    assertThat(entry.getValue())
                            .as("%s after the power failure of cycle %d%s", entry.getKey(), cycle, replay)
                            .contains(found);
                    allowed.put(entry.getKey(), Set.of(found));
                }
            }
        }
        System.out.printf("PowerLossTest concurrent: 40 power failures, %d acknowledged writes%n", acknowledged);
        assertThat(acknowledged).isPositive();
    }

    /** Sums over scenarios, to show that the crashes did damage and the test is not vacuous. */
    private static final class Totals {
        int powerLosses;
        int crashesInsideOperations;
        long unsyncedWritesLost;
        int tornWrites;
        int directoryChangesUndone;
        int ioErrors;
        long writesLost;

        void add(Scenario s) {
            powerLosses += s.disk.crashes;
            crashesInsideOperations += s.crashesInsideOperations;
            unsyncedWritesLost += s.disk.unsyncedOpsLost;
            tornWrites += s.disk.tornWrites;
            directoryChangesUndone += s.disk.directoryOpsUndone;
            ioErrors += s.disk.errorsInjected;
            writesLost += s.writesLost;
        }
    }

    private static Totals runScenarios(Durability durability, int scenarios, int operations) throws Exception {
        long seed = Long.getLong("minikv.powerloss.seed", System.nanoTime());
        Long only = Long.getLong("minikv.powerloss.scenario");
        System.out.println("PowerLossTest " + durability + ": seed " + seed);
        Totals totals = new Totals();
        SplittableRandom seeds = new SplittableRandom(seed);
        for (int i = 0; i < (only == null ? scenarios : 1); i++) {
            long scenarioSeed = only == null ? seeds.nextLong() : only;
            Scenario scenario = new Scenario(scenarioSeed, durability);
            try {
                scenario.run(operations);
            } catch (Throwable e) {
                throw new AssertionError(
                        "scenario " + i + " failed (replay with -Dminikv.powerloss.seed=" + seed
                                + ", or this scenario alone with -Dminikv.powerloss.scenario=" + scenarioSeed
                                + " and its whole history with -Dminikv.powerloss.fulltrail=true) after: "
                                + scenario.trail() + "\n" + e,
                        e);
            }
            totals.add(scenario);
        }
        System.out.printf(
                "PowerLossTest %s: %d scenarios, %d power failures, %d crashes inside operations,"
                        + " %d unsynced file writes lost, %d torn, %d directory changes undone, %d I/O errors%n",
                durability,
                scenarios,
                totals.powerLosses,
                totals.crashesInsideOperations,
                totals.unsyncedWritesLost,
                totals.tornWrites,
                totals.directoryChangesUndone,
                totals.ioErrors);
        return totals;
    }

    /** What a key holds: a version of a {@link CheckedValue}, or nothing. */
    private record KeyState(OptionalLong version) {
        static final KeyState ABSENT = new KeyState(OptionalLong.empty());

        static KeyState of(long version) {
            return new KeyState(OptionalLong.of(version));
        }

        @Override
        public String toString() {
            return version.isPresent() ? "v" + version.getAsLong() : "absent";
        }
    }

    private static final class Scenario {
        final LossyDisk disk;
        final SplittableRandom random;
        final Durability durability;
        final StoreOptions options;
        /** What the live store must return for each key. */
        final Map<String, KeyState> current = new HashMap<>();
        /** What each key may hold after a crash (besides the write in flight). */
        final Map<String, Set<KeyState>> survivable = new HashMap<>();

        final List<String> recent = new ArrayList<>();
        /** The states the write in flight gives each of its keys, in order: a crash may keep any of them. */
        final List<Map.Entry<String, KeyState>> inFlight = new ArrayList<>();

        Store store;
        long version;
        int crashesInsideOperations;
        int errorsSeen;
        long writesLost;

        Scenario(long seed, Durability durability) {
            this.random = new SplittableRandom(seed);
            this.disk = new LossyDisk(random.nextLong());
            this.durability = durability;
            boolean background = random.nextBoolean();
            this.options = StoreOptions.defaults()
                    .withDurability(durability)
                    .withSegmentSize(16 * 1024)
                    .withCompactionGarbageRatio(0.3)
                    .withCompactionBytesPerSecond(0)
                    .withCompactionCheckInterval(Duration.ofMillis(5))
                    .withBackgroundCompaction(background);
            for (int k = 0; k < KEYS; k++) {
                current.put(key(k), KeyState.ABSENT);
                survivable.put(key(k), new HashSet<>(Set.of(KeyState.ABSENT)));
            }
        }

        static String key(int k) {
            return "key-" + k;
        }

        String trail() {
            return String.join(", ", recent) + " | disk: " + disk.describe();
        }

        void note(String event) {
            recent.add(event);
            if (recent.size() > 40 && !Boolean.getBoolean("minikv.powerloss.fulltrail")) {
                recent.removeFirst();
            }
        }

        void run(int operations) throws Exception {
            store = Store.open(NAME, disk.mount(), options);
            for (int i = 0; i < operations; i++) {
                try {
                    step();
                } catch (IOException | RuntimeException e) {
                    if (disk.isDead()) {
                        crashesInsideOperations++;
                        note("crashed inside: " + e.getMessage());
                    } else if (disk.errorsInjected > errorsSeen) {
                        note("failed: " + e.getMessage());
                        reopenAfterError();
                    } else {
                        throw e;
                    }
                }
                errorsSeen = disk.errorsInjected;
                if (disk.isDead()) {
                    recoverAndCheck();
                }
            }
            disk.cancelFaults();
            if (disk.isDead()) {
                recoverAndCheck();
            }
            store.close();
            resetSurvivable();
            store = Store.open(NAME, disk.mount(), options);
            checkEveryKey(false);
            store.close();
        }

        void step() throws IOException {
            String key = key(random.nextInt(KEYS));
            int dice = random.nextInt(100);
            if (dice < 40) {
                put(key, random.nextInt(CheckedValue.overhead(key.getBytes(UTF_8)), 3000), false);
            } else if (dice < 43) {
                put(key, random.nextInt(65 * 1024, 80 * 1024), false);
            } else if (dice < 48) {
                put(key, random.nextInt(65 * 1024, 100 * 1024), true);
            } else if (dice < 63) {
                write(key, KeyState.ABSENT, "delete " + key, () -> store.delete(key.getBytes(UTF_8)));
            } else if (dice < 68) {
                note("compact");
                store.compact();
            } else if (dice < 78) {
                checkLive(key);
            } else if (dice < 81) {
                note("reopen");
                store.close();
                resetSurvivable();
                store = Store.open(NAME, disk.mount(), options);
            } else if (dice < 84) {
                note("sync");
                store.sync();
                resetSurvivable();
            } else if (dice < 87) {
                note("power failure");
                disk.crash();
            } else if (dice < 89) {
                note("process crash");
                disk.abandon();
            } else if (dice < 92) {
                int mutations = random.nextInt(1, 40);
                note("I/O error in " + mutations + " mutations");
                disk.failAfter(mutations);
            } else if (dice < 95) {
                int mutations = random.nextInt(1, 40);
                boolean powerLoss = random.nextInt(3) > 0;
                note((powerLoss ? "power failure" : "process crash") + " in " + mutations + " mutations");
                disk.crashAfter(mutations, powerLoss);
            } else {
                writeBatch();
            }
        }

        /** A few puts and deletes, on keys that may repeat, written as one {@link WriteBatch}. */
        void writeBatch() throws IOException {
            WriteBatch batch = new WriteBatch();
            List<Map.Entry<String, KeyState>> steps = new ArrayList<>();
            StringBuilder what = new StringBuilder("batch");
            for (int i = random.nextInt(1, 7); i > 0; i--) {
                String key = key(random.nextInt(KEYS));
                byte[] k = key.getBytes(UTF_8);
                if (random.nextInt(4) == 0) {
                    batch.delete(k);
                    steps.add(Map.entry(key, KeyState.ABSENT));
                    what.append(" delete ").append(key);
                } else {
                    long v = ++version;
                    batch.put(k, CheckedValue.encode(k, v, random.nextInt(CheckedValue.overhead(k), 3000)));
                    steps.add(Map.entry(key, KeyState.of(v)));
                    what.append(" put ").append(key).append(" v").append(v);
                }
            }
            write(steps, what.toString(), () -> store.write(batch));
        }

        void put(String key, int length, boolean streamed) throws IOException {
            byte[] k = key.getBytes(UTF_8);
            long v = ++version;
            byte[] value = CheckedValue.encode(k, v, length);
            String what = (streamed ? "stream " : "put ") + key + " v" + v + " (" + length + " B)";
            if (streamed) {
                boolean knownLength = random.nextBoolean();
                write(
                        key,
                        KeyState.of(v),
                        what,
                        () -> store.put(k, new ByteArrayInputStream(value), knownLength ? length : -1));
            } else {
                write(key, KeyState.of(v), what, () -> store.put(k, value));
            }
        }

        interface Write {
            void run() throws IOException;
        }

        void write(String key, KeyState outcome, String what, Write write) throws IOException {
            write(List.of(Map.entry(key, outcome)), what, write);
        }

        /** A write that takes each key through its {@code steps} in order; the last step of a key stands. */
        void write(List<Map.Entry<String, KeyState>> steps, String what, Write write) throws IOException {
            note(what);
            inFlight.addAll(steps);
            write.run();
            inFlight.clear();
            Map<String, KeyState> last = new HashMap<>();
            for (Map.Entry<String, KeyState> step : steps) {
                last.put(step.getKey(), step.getValue());
                if (durability != Durability.ALWAYS) {
                    survivable.get(step.getKey()).add(step.getValue());
                }
            }
            last.forEach((key, outcome) -> {
                current.put(key, outcome);
                if (durability == Durability.ALWAYS) {
                    survivable.put(key, new HashSet<>(Set.of(outcome)));
                }
            });
        }

        /** The write in flight failed or crashed: any state it gave a key may be on disk. */
        void settleInFlight() {
            inFlight.forEach(step -> survivable.get(step.getKey()).add(step.getValue()));
            inFlight.clear();
        }

        /** After a clean close or a sync, only the current state of each key may survive a crash. */
        void resetSurvivable() {
            current.forEach((key, state) -> survivable.put(key, new HashSet<>(Set.of(state))));
        }

        void checkLive(String key) throws IOException {
            KeyState state = read(store, key);
            assertThat(state).as("live read of %s", key).isEqualTo(current.get(key));
        }

        /**
         * An operation failed with an injected I/O error: it may or may not have happened, and the
         * store may refuse further writes (after a failed fdatasync it must). A clean close and
         * open goes on from there; what that store serves must last.
         */
        void reopenAfterError() throws Exception {
            settleInFlight();
            disk.cancelFaults();
            closeDead(store);
            store = Store.open(NAME, disk.mount(), options);
            checkEveryKey(true);
            resetSurvivable();
        }

        void recoverAndCheck() throws Exception {
            settleInFlight();
            for (int attempt = 0; ; attempt++) {
                assertThat(attempt).as("recovery attempts").isLessThan(50);
                closeDead(store);
                store = null;
                Disk mount = disk.mount();
                if (random.nextInt(4) == 0) {
                    int mutations = random.nextInt(1, 20);
                    note("crash during recovery in " + mutations + " mutations");
                    disk.crashAfter(mutations, random.nextBoolean());
                }
                try {
                    store = Store.open(NAME, mount, options);
                    checkEveryKey(true);
                    disk.cancelFaults();
                    return;
                } catch (IOException | RuntimeException e) {
                    if (!disk.isDead() && disk.errorsInjected == errorsSeen) {
                        throw e;
                    }
                    // Crashed again, or an injected I/O error failed the open: try again.
                    errorsSeen = disk.errorsInjected;
                    note("recovery failed: " + e.getMessage());
                }
            }
        }

        /**
         * Reads every key and checks it against what may survive; with {@code afterCrash} the
         * states found become the model: a recovered store must keep serving them.
         */
        void checkEveryKey(boolean afterCrash) throws IOException {
            Map<String, KeyState> found = new HashMap<>();
            Set<String> present = new HashSet<>();
            for (String key : current.keySet()) {
                KeyState state = read(store, key);
                assertThat(survivable.get(key)).as("%s after recovery", key).contains(state);
                found.put(key, state);
                if (state.version().isPresent()) {
                    present.add(key);
                }
            }
            assertThat(store.scan(new byte[0], null, Integer.MAX_VALUE))
                    .map(k -> new String(k, UTF_8))
                    .containsExactlyInAnyOrderElementsOf(present);
            for (String key : current.keySet()) {
                if (!found.get(key).equals(current.get(key))) {
                    writesLost++;
                }
            }
            current.putAll(found);
            if (afterCrash && durability == Durability.ALWAYS) {
                resetSurvivable();
            }
            note("recovered");
        }

        static KeyState read(Store store, String key) throws IOException {
            byte[] k = key.getBytes(UTF_8);
            Optional<byte[]> value = store.get(k);
            return value.map(bytes -> KeyState.of(CheckedValue.versionOf(k, bytes)))
                    .orElse(KeyState.ABSENT);
        }

        static void closeDead(Store store) {
            if (store == null) {
                return;
            }
            try {
                store.close();
            } catch (IOException | RuntimeException expected) {
                // The disk is gone; close only stops the old store's threads.
            }
        }
    }
}
