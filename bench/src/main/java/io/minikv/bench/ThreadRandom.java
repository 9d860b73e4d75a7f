package io.minikv.bench;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** Each benchmark thread's own random source, seeded differently per thread and reproducibly per run. */
@State(Scope.Thread)
public class ThreadRandom {
    private static final AtomicLong NEXT_SEED = new AtomicLong(42);

    private final SplittableRandom random = new SplittableRandom(NEXT_SEED.getAndIncrement());

    /** A uniformly random index in [0, bound). */
    int nextIndex(int bound) {
        return random.nextInt(bound);
    }
}
