package io.minikv.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Puts per second into a store that starts empty, each put to a key drawn uniformly from the key
 * space, so that after the first pass every put overwrites and both engines pay for their garbage
 * (minikv's segment compaction, RocksDB's level compaction) within the run.
 *
 * <p>Durable puts use one thread and sixteen: with sixteen, concurrent writers share an fdatasync
 * (minikv's group commit, RocksDB's write group), which is how a server uses a durable store.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class PutBenchmark {
    @Benchmark
    public void durablePut(DurableStore store, ThreadRandom random) throws IOException {
        put(store, random);
    }

    @Benchmark
    @Threads(16)
    public void durablePut16Threads(DurableStore store, ThreadRandom random) throws IOException {
        put(store, random);
    }

    @Benchmark
    public void bufferedPut(BufferedStore store, ThreadRandom random) throws IOException {
        put(store, random);
    }

    private static void put(EngineState state, ThreadRandom random) throws IOException {
        state.store.put(state.keys.get(random.nextIndex(state.keys.count())), state.value);
    }
}
