package io.minikv.bench;

import java.io.IOException;
import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One engine opened in a scratch directory for a whole trial (all warmup and measurement iterations
 * of one fork), so that write benchmarks see the store grow and compact as it would in use rather
 * than restart from empty every iteration. Subclasses say whether puts are durable and whether the
 * key space is loaded before measuring.
 */
@State(Scope.Benchmark)
public abstract class EngineState {
    @Param({Engine.MINIKV, Engine.ROCKSDB})
    public String engine;

    @Param({"100", "1024", "16384", "1048576"})
    public int valueSize;

    Engine store;
    KeySpace keys;

    /** The value every put writes: random bytes, which neither engine can compress. */
    byte[] value;

    private ScratchDirectory directory;

    /** Whether a put returns only after fdatasync (minikv ALWAYS, RocksDB sync=true). */
    abstract boolean durable();

    /** Whether every key gets a value before measuring, so that reads always hit. */
    abstract boolean preloaded();

    @Setup(Level.Trial)
    public void open() throws IOException {
        keys = KeySpace.forValueSize(valueSize);
        value = new byte[valueSize];
        new SplittableRandom(valueSize).nextBytes(value);
        directory = ScratchDirectory.create(engine + "-");
        store = Engine.open(engine, directory.path(), durable());
        if (preloaded()) {
            load();
        }
    }

    /**
     * Writes every key, settles the store and reads every key back once: this checks the load and
     * leaves the data in the page cache, as the read benchmarks promise.
     */
    private void load() throws IOException {
        for (int i = 0; i < keys.count(); i++) {
            store.put(keys.get(i), value);
        }
        store.settle();
        for (int i = 0; i < keys.count(); i++) {
            byte[] read = store.get(keys.get(i));
            if (read == null || read.length != valueSize) {
                throw new IllegalStateException(engine + " lost key " + i + " of the preload");
            }
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        try {
            if (store != null) {
                store.close();
            }
        } finally {
            directory.close();
        }
    }
}
