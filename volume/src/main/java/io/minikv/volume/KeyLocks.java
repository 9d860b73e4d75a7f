package io.minikv.volume;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
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
        return stripes[stripe(key)];
    }

    /**
     * Locks the stripes of all {@code keys}, each once, in stripe order so that two callers never
     * wait for each other; returns them for the caller to unlock.
     */
    List<ReentrantLock> lockAll(Collection<String> keys) {
        List<ReentrantLock> locked = new ArrayList<>();
        keys.stream().mapToInt(this::stripe).distinct().sorted().forEach(i -> {
            stripes[i].lock();
            locked.add(stripes[i]);
        });
        return locked;
    }

    private int stripe(String key) {
        return Math.floorMod(key.hashCode(), stripes.length);
    }
}
