package io.minikv.bench;

import java.io.IOException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Time from opening a store after a clean shutdown to its first answered get: minikv rebuilds its
 * in-memory index from the hint files, RocksDB reads its manifest and opens its tables. The data
 * set (small values) is written once per trial and reopened every iteration; its files stay in the
 * page cache, so this measures the work of opening, not a cold disk.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 2)
@Measurement(iterations = 3)
public class RestartBenchmark {
    static final int VALUE_SIZE = 32;

    @State(Scope.Benchmark)
    public static class StoredDataSet {
        @Param({Engine.MINIKV, Engine.ROCKSDB})
        public String engine;

        @Param({"1000000", "10000000"})
        public int keys;

        private ScratchDirectory directory;
        private Engine opened;
        private byte[] probe;

        /**
         * Writes the data set, then opens and closes it once more: the measured opens are then all
         * alike, none of them finishing work the writing session left (minikv sealing the last
         * segments and writing their hints, RocksDB replaying a WAL).
         */
        @Setup(Level.Trial)
        public void write() throws IOException {
            directory = ScratchDirectory.create("restart-" + engine + "-");
            byte[] value = new byte[VALUE_SIZE];
            SplittableRandom random = new SplittableRandom(keys);
            try (Engine store = Engine.open(engine, directory.path(), false)) {
                for (int i = 0; i < keys; i++) {
                    random.nextBytes(value);
                    store.put(KeySpace.key(i), value);
                }
                store.settle();
            }
            probe = KeySpace.key(keys / 2);
            open().close();
        }

        Engine open() throws IOException {
            return Engine.open(engine, directory.path(), false);
        }

        @TearDown(Level.Iteration)
        public void closeOpened() throws IOException {
            if (opened != null) {
                opened.close();
                opened = null;
            }
        }

        @TearDown(Level.Trial)
        public void delete() throws IOException {
            directory.close();
        }
    }

    @Benchmark
    public void openAndGet(StoredDataSet data, Blackhole blackhole) throws IOException {
        data.opened = data.open();
        byte[] value = data.opened.get(data.probe);
        if (value == null) {
            throw new IllegalStateException(data.engine + " lost its data across a restart");
        }
        blackhole.consume(value);
    }
}
