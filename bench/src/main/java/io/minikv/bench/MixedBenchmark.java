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
 * Operations per second of a read-mostly workload on a loaded store: 90% gets, 10% puts that
 * overwrite, keys drawn uniformly. The puts are not durable (minikv NEVER, RocksDB sync=false), so
 * the figure shows how reads and writes interfere rather than the disk's fdatasync rate, which the
 * durable put benchmarks already measure.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class MixedBenchmark {
    @Benchmark
    public void get90Put10(LoadedStore store, ThreadRandom random, Blackhole blackhole) throws IOException {
        int index = random.nextIndex(store.keys.count());
        if (random.nextIndex(10) == 0) {
            store.store.put(store.keys.get(index), store.value);
        } else {
            blackhole.consume(store.getPreloaded(index));
        }
    }
}
