package io.minikv.bench;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The operations the benchmarks compare, implemented once per engine so that the same benchmark
 * code drives both. Keys and values are passed as arrays the caller may reuse after the call.
 */
interface Engine extends Closeable {
    /** The engine names the benchmarks take as their {@code engine} parameter. */
    String MINIKV = "minikv";

    String ROCKSDB = "rocksdb";

    /**
     * Opens (or creates) the engine's store in {@code directory}. With {@code durable}, a put returns
     * only after its bytes are on disk (fdatasync); without, the OS writes them back when it likes.
     */
    static Engine open(String name, Path directory, boolean durable) throws IOException {
        return switch (name) {
            case MINIKV -> MinikvEngine.open(directory, durable);
            case ROCKSDB -> RocksDbEngine.open(directory, durable);
            default -> throw new IllegalArgumentException("unknown engine " + name + "; use minikv or rocksdb");
        };
    }

    void put(byte[] key, byte[] value) throws IOException;

    /** The value of {@code key}, or null when it is absent. */
    byte[] get(byte[] key) throws IOException;

    /**
     * Brings the store to a steady state after a bulk load: everything synced, and for RocksDB the
     * memtable flushed and the tree compacted, so that reads measure lookups rather than load debris.
     */
    void settle() throws IOException;
}
