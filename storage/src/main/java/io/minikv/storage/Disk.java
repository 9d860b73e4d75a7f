package io.minikv.storage;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * The narrow interface through which the engine touches its directory, in the manner of LevelDB's
 * Env: tests plug in a disk that forgets what was not synced. Names are plain file names inside one
 * directory.
 */
interface Disk {
    /** Opens {@code name}, creating it when {@code create} is set and it does not exist. */
    DiskFile open(String name, boolean create) throws IOException;

    /** The names of the files in the directory, in no particular order. */
    List<String> list() throws IOException;

    boolean exists(String name) throws IOException;

    /** Deletes {@code name} if it exists; durable after {@link #syncDirectory()}. */
    void delete(String name) throws IOException;

    /** Atomically renames {@code from} to {@code to}, replacing it; durable after {@link #syncDirectory()}. */
    void rename(String from, String to) throws IOException;

    /** Makes creations, renames and deletions in the directory durable. */
    void syncDirectory() throws IOException;

    /**
     * Takes the directory's exclusive lock, held until the returned handle is closed.
     *
     * @throws StoreLockedException when another process or another open store in this process has it
     */
    Closeable lock(String name) throws IOException;
}
