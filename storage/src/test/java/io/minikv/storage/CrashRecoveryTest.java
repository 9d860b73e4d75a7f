package io.minikv.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a writing process with SIGKILL at random moments and checks what survives (DESIGN.md §5).
 *
 * <p>A {@link CrashWriter} child writes with ALWAYS durability from several threads, with small
 * segments and eager background compaction, so that kills also land in rotation, sealing,
 * compaction, streamed writes and, when the kill comes early, in recovery itself. The parent reads
 * the child's begin and acknowledgement lines as they come, kills it, then opens a copy of the
 * directory and checks every key: its value must be the last acknowledged one, or the one whose
 * write was in flight at the kill; never an older version, never one that was not written, never a
 * garbled one. Every cycle continues on the same directory, so history accumulates across kills.
 *
 * <p>Cycles: system property {@code minikv.crash.cycles} (the build sets 20, -Psoak 1000). Seed:
 * {@code minikv.crash.seed} replays the kill schedule and the children's choices of operations
 * (thread interleaving is not replayable).
 */
class CrashRecoveryTest {
    private static final int THREADS = 4;
    private static final int KEYS_PER_THREAD = 48;
    private static final int MAX_ACKS_BEFORE_KILL = 3000;
    private static final long CHILD_TIMEOUT_SECONDS = 60;

    @TempDir
    Path tmp;

    /** What a key holds: a version, or nothing (never written, or deleted). */
    private record KeyState(OptionalLong version) {
        static final KeyState ABSENT = new KeyState(OptionalLong.empty());

        static KeyState of(long version) {
            return new KeyState(OptionalLong.of(version));
        }

        @Override
        public String toString() {
            return version.isPresent() ? "version " + Long.toHexString(version.getAsLong()) : "absent";
        }
    }

    /** An operation the child began: its version and the state it leaves the key in. */
    private record Op(long version, KeyState outcome) {}

    /** What one child reported before it died. */
    private static final class ChildLog {
        final Map<String, Op> inFlight = new HashMap<>();
        final Map<String, Op> lastAcked = new HashMap<>();
        final List<String> problems = new ArrayList<>();
        final AtomicInteger acks = new AtomicInteger();
        final CompletableFuture<Void> opening = new CompletableFuture<>();
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        volatile CompletableFuture<Void> enoughAcks = new CompletableFuture<>();
        volatile int acksWanted = Integer.MAX_VALUE;

        synchronized void accept(String line) {
            String[] f = line.split(" ", 4);
            switch (f[0]) {
                case "OPENING" -> opening.complete(null);
                case "READY" -> ready.complete(null);
                case "B" -> {
                    long version = Long.parseLong(f[2]);
                    KeyState outcome = f[3].equals("D") ? KeyState.ABSENT : KeyState.of(version);
                    Op previous = inFlight.put(f[1], new Op(version, outcome));
                    if (previous != null) {
                        problems.add("two writes of " + f[1] + " in flight: " + line);
                    }
                }
                case "A" -> {
                    Op op = inFlight.remove(f[1]);
                    if (op == null || op.version() != Long.parseLong(f[2])) {
                        problems.add("acknowledgement of a write that did not begin: " + line);
                    } else {
                        lastAcked.put(f[1], op);
                    }
                    if (acks.incrementAndGet() >= acksWanted) {
                        enoughAcks.complete(null);
                    }
                }
                default -> problems.add(line);
            }
        }
    }

    /** How one cycle ends the child. */
    private sealed interface Kill {
        /** At a random time after the start, often during JVM start. */
        record AfterStart(long millis) implements Kill {}

        /** A few milliseconds after the store began to open: often during recovery. */
        record DuringOpen(long millis) implements Kill {}

        /** A few milliseconds after the store opened. */
        record AfterReady(long millis) implements Kill {}

        /** Once this many writes were acknowledged. */
        record AfterAcks(int acks) implements Kill {}

        static Kill choose(SplittableRandom random) {
            int dice = random.nextInt(20);
            if (dice < 2) {
                return new AfterStart(random.nextLong(0, 800));
            }
            if (dice < 5) {
                return new DuringOpen(random.nextLong(0, 30));
            }
            if (dice < 8) {
                return new AfterReady(random.nextLong(0, 20));
            }
            // Log-uniform, so that both a handful and thousands of acknowledgements come up.
            return new AfterAcks((int) Math.round(Math.exp(random.nextDouble(Math.log(MAX_ACKS_BEFORE_KILL)))));
        }
    }

    private final Map<String, KeyState> confirmed = new HashMap<>();
    private long acknowledged;
    private long inFlightApplied;
    private long inFlightLost;
    private int killedBeforeOpen;
    private int killedDuringOpen;

    @Test
    void acknowledgedWritesSurviveSigkillAtRandomMoments() throws Exception {
        int cycles = Integer.parseInt(System.getProperty("minikv.crash.cycles", "20"));
        long seed = Long.getLong("minikv.crash.seed", System.nanoTime());
        String replay = "(replay with -Dminikv.crash.seed=" + seed + ")";
        System.out.println("CrashRecoveryTest: " + cycles + " cycles, seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        Path data = tmp.resolve("data");
        for (int t = 0; t < THREADS; t++) {
            for (int k = 0; k < KEYS_PER_THREAD; k++) {
                confirmed.put(CrashWriter.key(t, k), KeyState.ABSENT);
            }
        }
        long started = System.nanoTime();
        for (int cycle = 1; cycle <= cycles; cycle++) {
            Kill kill = Kill.choose(random);
            String context = "cycle " + cycle + " (" + kill + ") " + replay;
            ChildLog log = runAndKill(data, random.nextLong(), cycle, kill, context);
            assertThat(log.problems)
                    .as("child reported problems in %s", context)
                    .isEmpty();
            verifyCopy(data, log, context);
        }
        try (Store store = Store.open(data, CrashWriter.options())) {
            checkEveryKey(store, key -> Set.of(confirmed.get(key)), "after the last cycle " + replay);
            store.compact();
            checkEveryKey(store, key -> Set.of(confirmed.get(key)), "after a final compaction " + replay);
        }
        System.out.printf(
                "CrashRecoveryTest: %d cycles in %d s: %d acknowledged writes verified, in-flight writes"
                        + " %d applied and %d lost; %d kills while the store was opening, %d before%n",
                cycles,
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started),
                acknowledged,
                inFlightApplied,
                inFlightLost,
                killedDuringOpen,
                killedBeforeOpen);
    }

    private ChildLog runAndKill(Path data, long childSeed, int cycle, Kill kill, String context) throws Exception {
        Path stderr = tmp.resolve("child.err");
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        System.getProperty("java.class.path"),
                        CrashWriter.class.getName(),
                        data.toString(),
                        Long.toString(childSeed),
                        Integer.toString(cycle),
                        Integer.toString(THREADS),
                        Integer.toString(KEYS_PER_THREAD))
                .redirectError(stderr.toFile());
        ChildLog log = new ChildLog();
        Process child = builder.start();
        try {
            Thread reader = Thread.ofPlatform().name("crash-child-stdout").start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        log.accept(line);
                    }
                } catch (IOException e) {
                    log.accept("E reading the child's output failed: " + e);
                }
            });
            CompletableFuture<Void> exited = child.onExit().thenApply(p -> null);
            switch (kill) {
                case Kill.AfterStart(long millis) -> Thread.sleep(millis);
                case Kill.DuringOpen(long millis) -> {
                    awaitEither(log.opening, exited, stderr, context);
                    Thread.sleep(millis);
                }
                case Kill.AfterReady(long millis) -> {
                    awaitEither(log.ready, exited, stderr, context);
                    Thread.sleep(millis);
                }
                case Kill.AfterAcks(int acks) -> {
                    log.acksWanted = acks;
                    if (log.acks.get() >= acks) {
                        log.enoughAcks.complete(null);
                    }
                    awaitEither(log.enoughAcks, exited, stderr, context);
                }
            }
            if (!child.isAlive()) {
                fail("child exited with %d before the kill in %s: %s", child.exitValue(), context, tail(stderr));
            }
            // SIGKILL through the handle: Process.destroyForcibly() would also close our end of the
            // child's stdout and drop lines still in the pipe.
            child.toHandle().destroyForcibly();
            assertThat(child.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
            reader.join();
            if (!log.opening.isDone()) {
                killedBeforeOpen++;
            } else if (!log.ready.isDone()) {
                killedDuringOpen++;
            }
            return log;
        } finally {
            child.destroyForcibly();
        }
    }

    private static void awaitEither(
            CompletableFuture<Void> wanted, CompletableFuture<Void> exited, Path stderr, String context)
            throws Exception {
        try {
            CompletableFuture.anyOf(wanted, exited).get(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            fail("child made no progress for %d s in %s: %s", CHILD_TIMEOUT_SECONDS, context, tail(stderr));
        }
    }

    /**
     * Opens a copy of the killed child's directory (the next child recovers the original itself)
     * and checks every key, also after a compaction and a clean reopen.
     */
    private void verifyCopy(Path data, ChildLog log, String context) throws IOException {
        Map<String, Set<KeyState>> allowed = new HashMap<>();
        for (String key : confirmed.keySet()) {
            Set<KeyState> states = new HashSet<>();
            Op acked = log.lastAcked.get(key);
            states.add(acked != null ? acked.outcome() : confirmed.get(key));
            Op inFlight = log.inFlight.get(key);
            if (inFlight != null) {
                states.add(inFlight.outcome());
            }
            allowed.put(key, states);
        }
        acknowledged += log.acks.get();

        Path copy = tmp.resolve("copy");
        copyDirectory(data, copy);
        Map<String, KeyState> found = new HashMap<>();
        List<CorruptionReport> reports = new ArrayList<>();
        StoreOptions options =
                CrashWriter.options().withBackgroundCompaction(false).withCorruptionListener(reports::add);
        try (Store store = Store.open(copy, options)) {
            found.putAll(checkEveryKey(store, allowed::get, context));
            store.compact();
            checkEveryKey(store, key -> Set.of(found.get(key)), "after compacting, " + context);
        }
        try (Store store = Store.open(copy, options)) {
            checkEveryKey(store, key -> Set.of(found.get(key)), "after compacting and reopening, " + context);
        }
        assertThat(reports)
                .as("corruption reported after a process crash in %s", context)
                .isEmpty();
        deleteDirectory(copy);

        log.inFlight.forEach((key, op) -> {
            if (allowed.get(key).size() == 2) {
                if (found.get(key).equals(op.outcome())) {
                    inFlightApplied++;
                } else {
                    inFlightLost++;
                }
            }
        });
        confirmed.putAll(found);
    }

    /** Checks that every key is in one of its allowed states and no other key exists; returns the states. */
    private Map<String, KeyState> checkEveryKey(Store store, Function<String, Set<KeyState>> allowed, String context)
            throws IOException {
        Map<String, KeyState> found = new HashMap<>();
        Set<String> present = new HashSet<>();
        for (String key : confirmed.keySet()) {
            byte[] keyBytes = key.getBytes(UTF_8);
            Optional<byte[]> value = store.get(keyBytes);
            KeyState state = KeyState.ABSENT;
            if (value.isPresent()) {
                try {
                    state = KeyState.of(CheckedValue.versionOf(keyBytes, value.get()));
                } catch (IllegalArgumentException e) {
                    fail("%s holds a bad value in %s: %s", key, context, e.getMessage());
                }
                present.add(key);
            }
            if (!allowed.apply(key).contains(state)) {
                fail("%s is %s but must be one of %s in %s", key, state, allowed.apply(key), context);
            }
            found.put(key, state);
        }
        List<String> listed = store.scan(new byte[0], null, Integer.MAX_VALUE).stream()
                .map(k -> new String(k, UTF_8))
                .toList();
        assertThat(listed).as("keys listed in %s", context).containsExactlyInAnyOrderElementsOf(present);
        assertThat(store.stats().keys()).as("key count in %s", context).isEqualTo(present.size());
        return found;
    }

    private static void copyDirectory(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        if (!Files.exists(from)) {
            return;
        }
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static void deleteDirectory(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    private static String tail(Path file) throws IOException {
        if (!Files.exists(file)) {
            return "(no stderr)";
        }
        List<String> lines = Files.readAllLines(file, UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
