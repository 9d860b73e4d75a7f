package io.minikv.cli;

/**
 * What {@code minikv bench} loads: one blocking operation at a time per client thread; false when
 * it failed. Closing it releases its connections.
 */
interface BenchTarget extends AutoCloseable {
    /** Stores {@code value} under the bench key number {@code key}. */
    boolean put(long key, byte[] value);

    /** Reads the value of bench key number {@code key} to its end. */
    boolean get(long key);

    @Override
    void close();
}
