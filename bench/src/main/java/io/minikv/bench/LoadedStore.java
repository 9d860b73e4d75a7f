package io.minikv.bench;

import java.io.IOException;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * A store holding a value for every key of the key space, settled and read once so that its files
 * are in the page cache. Puts into it are not durable (minikv NEVER, RocksDB sync=false).
 */
@State(Scope.Benchmark)
public class LoadedStore extends EngineState {
    @Override
    boolean durable() {
        return false;
    }

    @Override
    boolean preloaded() {
        return true;
    }

    /** The value of the key at {@code index}; a miss would mean measuring the wrong thing, so it throws. */
    byte[] getPreloaded(int index) throws IOException {
        byte[] found = store.get(keys.get(index));
        if (found == null) {
            throw new IllegalStateException(engine + " has no value for preloaded key " + index);
        }
        return found;
    }
}
