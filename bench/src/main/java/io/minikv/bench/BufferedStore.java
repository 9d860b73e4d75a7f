package io.minikv.bench;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * An empty store whose puts return once written to the OS: minikv NEVER, RocksDB sync=false with
 * the WAL on. A process crash loses nothing; a machine crash may lose recent writes in both.
 */
@State(Scope.Benchmark)
public class BufferedStore extends EngineState {
    @Override
    boolean durable() {
        return false;
    }

    @Override
    boolean preloaded() {
        return false;
    }
}
