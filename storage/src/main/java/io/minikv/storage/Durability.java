package io.minikv.storage;

/** When a write is acknowledged relative to fdatasync. */
public enum Durability {
    /** Acknowledge after the record is on disk; concurrent writers share one fdatasync (group commit). */
    ALWAYS,
    /** Acknowledge at once and fdatasync every {@link StoreOptions#syncInterval()}: a crash loses at most that window. */
    INTERVAL,
    /** Leave syncing to the OS: a crash of the machine (not just the process) may lose recent writes. */
    NEVER
}
