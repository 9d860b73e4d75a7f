package io.minikv.client;

import io.minikv.proto.MinikvException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Sends a call to the coordinators in order, starting from the last one that answered, and moves
 * on to the next one only as far as the call's {@link Retry} allows.
 */
final class Failover<C extends Coordinator> {
    private final List<C> coordinators;
    private final AtomicInteger preferred = new AtomicInteger();

    Failover(List<C> coordinators) {
        if (coordinators.isEmpty()) {
            throw new IllegalArgumentException("no coordinator given");
        }
        this.coordinators = List.copyOf(coordinators);
    }

    List<C> coordinators() {
        return coordinators;
    }

    <T> T call(Retry retry, Function<C, T> call) {
        int start = preferred.get();
        List<String> failures = new ArrayList<>();
        MinikvException last = null;
        for (int i = 0; i < coordinators.size(); i++) {
            int index = (start + i) % coordinators.size();
            try {
                T result = call.apply(coordinators.get(index));
                preferred.set(index);
                return result;
            } catch (Unreachable e) {
                failures.add(e.getMessage());
            } catch (MinikvException.Unavailable | MinikvException.Timeout e) {
                if (retry != Retry.IDEMPOTENT) {
                    throw e;
                }
                failures.add(coordinators.get(index).name() + ": " + e.getMessage());
                last = e;
            }
        }
        if (coordinators.size() == 1) {
            throw last != null ? last : new MinikvException.Unavailable(failures.getFirst());
        }
        throw new MinikvException.Unavailable("no coordinator answered: " + String.join("; ", failures));
    }
}
