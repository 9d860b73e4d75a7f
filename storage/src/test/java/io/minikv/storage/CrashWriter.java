package io.minikv.storage;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The child process of {@link CrashRecoveryTest}: writes to a store with ALWAYS durability until it
 * is killed, and reports on stdout what it is about to do and what was acknowledged.
 *
 * <p>Each writer thread owns a disjoint set of keys, so the order of operations on a key is the
 * order of its thread. Before an operation starts the thread prints {@code B key version kind}
 * (kind P: small put, L: large streamed put, D: delete); once the call has returned it prints
 * {@code A key version}. A line is one write(2) of under 100 bytes to a pipe, which is atomic, so a
 * kill never leaves half a line. Versions are {@code cycle << 32 | n}, unique across cycles. Other
 * lines: {@code OPENING} just before the store is opened (recovery runs then), {@code READY} once it is open, {@code C report} for every corruption report (none
 * is expected after a process crash), {@code E message} for anything that went wrong here.
 *
 * <p>Usage: {@code CrashWriter DIR SEED CYCLE THREADS KEYS_PER_THREAD}.
 */
final class CrashWriter {
    /** The options of the crash test: small segments and eager compaction, so that kills hit them. */
    static StoreOptions options() {
        return StoreOptions.defaults()
                .withDurability(Durability.ALWAYS)
                .withSegmentSize(64 * 1024)
                .withCompactionGarbageRatio(0.3)
                .withCompactionBytesPerSecond(0)
                .withCompactionCheckInterval(Duration.ofMillis(20));
    }

    static String key(int thread, int index) {
        return "t%d/k%03d".formatted(thread, index);
    }

    /** A child that outlives its parent must not write forever. */
    private static final Duration MAX_LIFETIME = Duration.ofMinutes(2);

    private static final FileOutputStream OUT = new FileOutputStream(FileDescriptor.out);

    private CrashWriter() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long seed = Long.parseLong(args[1]);
        long cycle = Long.parseLong(args[2]);
        int threads = Integer.parseInt(args[3]);
        int keysPerThread = Integer.parseInt(args[4]);

        emit("OPENING");
        Store store = Store.open(dir, options().withCorruptionListener(report -> emit("C " + report)));
        emit("READY");
        SplittableRandom seeds = new SplittableRandom(seed);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            SplittableRandom random = seeds.split();
            start("writer-" + t, () -> write(store, random, cycle, thread, keysPerThread));
        }
        SplittableRandom readerRandom = seeds.split();
        start("reader", () -> read(store, readerRandom, threads, keysPerThread));
        SplittableRandom compactorRandom = seeds.split();
        start("compactor", () -> compact(store, compactorRandom));
        Thread.sleep(MAX_LIFETIME);
        emit("E still running after " + MAX_LIFETIME + "; exiting");
        System.exit(3);
    }

    private static void write(Store store, SplittableRandom random, long cycle, int thread, int keysPerThread)
            throws IOException {
        long[] counters = new long[keysPerThread];
        for (; ; ) {
            int index = random.nextInt(keysPerThread);
            byte[] key = key(thread, index).getBytes(UTF_8);
            long version = cycle << 32 | ++counters[index];
            int dice = random.nextInt(100);
            if (dice < 10) {
                emit("B " + key(thread, index) + " " + version + " D");
                store.delete(key);
            } else if (dice < 13) {
                byte[] value = CheckedValue.encode(key, version, random.nextInt(65 * 1024, 200 * 1024));
                emit("B " + key(thread, index) + " " + version + " L");
                store.put(key, new ByteArrayInputStream(value), value.length);
            } else {
                int length = random.nextInt(CheckedValue.overhead(key), 3000);
                byte[] value = CheckedValue.encode(key, version, length);
                emit("B " + key(thread, index) + " " + version + " P");
                store.put(key, value);
            }
            emit("A " + key(thread, index) + " " + version);
        }
    }

    /** Reads concurrently with the writers: pins segments against deletion and checks what it sees. */
    private static void read(Store store, SplittableRandom random, int threads, int keysPerThread) throws IOException {
        for (; ; ) {
            byte[] key =
                    key(random.nextInt(threads), random.nextInt(keysPerThread)).getBytes(UTF_8);
            Optional<byte[]> value;
            if (random.nextInt(10) == 0) {
                Optional<ValueStream> stream = store.openValue(key);
                if (stream.isEmpty()) {
                    continue;
                }
                try (ValueStream in = stream.get()) {
                    value = Optional.of(in.readAllBytes());
                }
            } else {
                value = store.get(key);
            }
            if (value.isPresent()) {
                try {
                    CheckedValue.versionOf(key, value.get());
                } catch (IllegalArgumentException e) {
                    emit("E reader got a bad value for " + new String(key, UTF_8) + ": " + e.getMessage());
                }
            }
        }
    }

    /** Manual compactions now and then, on top of the background ones; each one also rotates the log. */
    private static void compact(Store store, SplittableRandom random) throws IOException, InterruptedException {
        for (; ; ) {
            Thread.sleep(random.nextInt(50, 500));
            store.compact();
        }
    }

    private interface Body {
        void run() throws Exception;
    }

    private static void start(String name, Body body) {
        Thread thread = new Thread(
                () -> {
                    try {
                        body.run();
                    } catch (Throwable e) {
                        emit("E " + name + " failed: " + e.toString().replace('\n', ' '));
                        System.exit(2);
                    }
                },
                name);
        thread.start();
    }

    private static synchronized void emit(String line) {
        try {
            OUT.write((line + "\n").getBytes(UTF_8));
        } catch (IOException e) {
            // The parent is gone; nobody reads what this process does any more.
            Runtime.getRuntime().halt(4);
            throw new UncheckedIOException(e);
        }
    }
}
