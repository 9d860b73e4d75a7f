package io.minikv.client;

/** When a call that failed on one coordinator may be sent to the next one. */
enum Retry {
    /**
     * Repeating it changes nothing (reads, delete, verify): after a refused connection, a 503 or a
     * timeout alike.
     */
    IDEMPOTENT,
    /**
     * It must not take effect twice (put, membership, repair, rebalance, compact): only when it
     * never reached a server. After a 503, a timeout or a lost connection it may have taken effect.
     */
    UNSENT
}
