package io.minikv.bench;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** An empty store whose puts return after fdatasync: minikv ALWAYS, RocksDB sync=true. */
@State(Scope.Benchmark)
public class DurableStore extends EngineState {
    @Override
    boolean durable() {
        return true;
    }

    @Override
    boolean preloaded() {
        return false;
    }
}
