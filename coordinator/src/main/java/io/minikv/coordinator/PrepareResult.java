package io.minikv.coordinator;

/** How one replica answered a Prepare. */
public enum PrepareResult {
    /** The data and its prepare record are durable on the replica. */
    PREPARED,
    /** The replica refused or failed: it holds nothing to commit. */
    FAILED,
    /** No answer in time: the replica may or may not have prepared. */
    TIMED_OUT
}
