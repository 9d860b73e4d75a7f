package io.minikv.volume;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Striped locks that serialize the metadata changes of one key (version checks, pointer updates)
 * without a lock object per key. Held only around small engine writes, never during an upload.
 */
final class KeyLocks {
    private final ReentrantLock[] stripes;

    KeyLocks(int stripes) {
        this.stripes = new ReentrantLock[stripes];
        for (int i = 0; i < stripes; i++) {
            this.stripes[i] = new ReentrantLock();
        }
    }

    ReentrantLock of(String key) {
        return stripes[Math.floorMod(key.hashCode(), stripes.length)];
    }
}
