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
    private final LeaderHint leader;
    private final AtomicInteger preferred = new AtomicInteger();

    Failover(List<C> coordinators, LeaderHint leader) {
        if (coordinators.isEmpty()) {
            throw new IllegalArgumentException("no coordinator given");
        }
        this.coordinators = List.copyOf(coordinators);
        this.leader = leader;
    }

    List<C> coordinators() {
        return coordinators;
    }

    <T> T call(Retry retry, Function<? super C, T> call) {
        return call(preferred.get(), retry, call);
    }

    /**
     * Like {@link #call}, but starting from the coordinator last named as the leader, when it is one
     * of ours: a write sent there is not forwarded. If no coordinator could take it,
     * the name is forgotten.
     */
    <T> T callLeader(Retry retry, Function<? super C, T> call) {
        String named = leader.address();
        for (int index = 0; named != null && index < coordinators.size(); index++) {
            if (coordinators.get(index).address().equals(named)) {
                try {
                    return call(index, retry, call);
                } catch (MinikvException.Unavailable | MinikvException.Timeout e) {
                    leader.forget(named);
                    throw e;
                }
            }
        }
        return call(retry, call);
    }

    private <T> T call(int start, Retry retry, Function<? super C, T> call) {
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
