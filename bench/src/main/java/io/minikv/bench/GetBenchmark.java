package io.minikv.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Gets per second of keys drawn uniformly from a fully loaded key space whose files are in the
 * page cache: every get hits, and the cost is the engine's lookup and copy, not the disk.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class GetBenchmark {
    @Benchmark
    public void randomGet(LoadedStore store, ThreadRandom random, Blackhole blackhole) throws IOException {
        blackhole.consume(store.getPreloaded(random.nextIndex(store.keys.count())));
    }
}
