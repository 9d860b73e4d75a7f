package io.minikv.bench;

import java.io.IOException;

/**
 * A cluster's key-value API as the closed-loop clients of {@link ClosedLoop} use it, one
 * implementation per system. Each call is made by one client and goes to cluster member
 * {@code client % members}, so that the clients are spread evenly over the members on both sides.
 * A call returns only once the cluster acknowledged it, or throws; after a timeout the write may
 * still have happened.
 */
interface KvDriver extends AutoCloseable {
    /** Writes {@code value} under {@code key}; returns once the cluster acknowledged it as durable. */
    void put(int client, String key, byte[] value) throws IOException, InterruptedException;

    /** Reads {@code key} linearizably and returns the length of its value; a missing key is an error. */
    int get(int client, String key) throws IOException, InterruptedException;

    @Override
    void close();
}
