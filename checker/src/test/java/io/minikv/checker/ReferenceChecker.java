package io.minikv.checker;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The definition of linearizability, executed literally, to cross-check {@link LinearizabilityChecker} on small
 * histories: try every order of the operations that respects real time, with every subset of the operations of
 * unknown outcome, against the model's whole state (a map from key to state, so no partitioning is assumed).
 * Exponential; no cache, no pruning beyond abandoning an order at its first illegal step.
 */
final class ReferenceChecker {
    private ReferenceChecker() {}

    static <S, I, O> boolean isLinearizable(Model<S, I, O> model, List<Operation<I, O>> history) {
        if (history.size() > 10) {
            throw new IllegalArgumentException("too many operations for a brute-force search: " + history.size());
        }
        return extend(model, history, new boolean[history.size()], Map.of());
    }

    private static <S, I, O> boolean extend(
            Model<S, I, O> model, List<Operation<I, O>> history, boolean[] placed, Map<String, S> states) {
        boolean allCompletedPlaced = true;
        for (int i = 0; i < history.size(); i++) {
            allCompletedPlaced &= placed[i] || history.get(i).outcomeUnknown();
        }
        if (allCompletedPlaced) {
            return true;
        }
        for (int i = 0; i < history.size(); i++) {
            if (placed[i] || !mayComeNext(history, placed, history.get(i))) {
                continue;
            }
            Operation<I, O> op = history.get(i);
            String key = model.partitionedByKey() ? op.key() : "";
            S before = states.getOrDefault(key, model.initialState());
            Optional<S> after = op.output().isPresent()
                    ? model.step(before, op.input(), op.output().get())
                    : model.stepUnknown(before, op.input());
            if (after.isEmpty()) {
                continue;
            }
            Map<String, S> next = new HashMap<>(states);
            next.put(key, after.get());
            placed[i] = true;
            boolean found = extend(model, history, placed, next);
            placed[i] = false;
            if (found) {
                return true;
            }
        }
        return false;
    }

    /** No unplaced operation returned before {@code candidate} was called. */
    private static boolean mayComeNext(
            List<? extends Operation<?, ?>> history, boolean[] placed, Operation<?, ?> candidate) {
        for (int j = 0; j < history.size(); j++) {
            if (!placed[j] && history.get(j).returnTime() < candidate.callTime()) {
                return false;
            }
        }
        return true;
    }
}
