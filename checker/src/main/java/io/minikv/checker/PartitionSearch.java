package io.minikv.checker;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * The Wing-Gong search with Lowe's configuration cache over one partition, as an explicit stack so that it can
 * be run in slices and abandoned at any point.
 *
 * <p>The search walks the event list from the head. At a call node it tries to place that operation next: if the
 * model accepts it and the resulting configuration is not known to fail, the operation is lifted out of the list,
 * pushed, and the walk starts again from the head. At a return node, the operation returning there would have to be placed
 * before anything later, and none of the calls before it worked: the last placed operation is taken back and the
 * walk goes on after its call node. The partition is linearizable once every operation with a known outcome is
 * placed, and not linearizable when a return node is reached with nothing left to take back. Configurations
 * explored without success are remembered in {@link VisitedConfigurations} and not searched again.
 *
 * <p>Not thread-safe: one thread at a time (the checker hands a search from thread to thread between slices).
 */
final class PartitionSearch<S, I, O> {
    enum Progress {
        LINEARIZABLE,
        NOT_LINEARIZABLE,
        UNFINISHED
    }

    private final Model<S, I, O> model;
    private final String key;
    private final List<Operation<I, O>> operations;
    private final EventList events;
    private final VisitedConfigurations failed = new VisitedConfigurations();
    private final int completedTotal;
    /** For an operation of unknown outcome, its bit in {@link #placedUnknown}; -1 for the others. */
    private final int[] unknownIndex;

    private final BitSet placedCompleted = new BitSet();
    private final BitSet placedUnknown = new BitSet();
    private final int[] stackNode;
    private final Object[] stackState;
    private int depth;
    private S state;
    private int node;
    private int unplacedCompleted;
    private Progress progress = Progress.UNFINISHED;

    private int mostCompletedPlaced = -1;
    private int[] longestPrefix = new int[0];
    private S stateAfterLongestPrefix;

    PartitionSearch(Model<S, I, O> model, String key, List<Operation<I, O>> operations) {
        this.model = model;
        this.key = key;
        this.operations = List.copyOf(operations);
        this.events = new EventList(this.operations);
        this.stackNode = new int[this.operations.size()];
        this.stackState = new Object[this.operations.size()];
        this.state = model.initialState();
        this.node = events.first();
        this.completedTotal = (int)
                this.operations.stream().filter(op -> !op.outcomeUnknown()).count();
        this.unplacedCompleted = completedTotal;
        this.unknownIndex = new int[this.operations.size()];
        int unknowns = 0;
        for (int i = 0; i < unknownIndex.length; i++) {
            unknownIndex[i] = this.operations.get(i).outcomeUnknown() ? unknowns++ : -1;
        }
        recordIfLongest();
    }

    String key() {
        return key;
    }

    int size() {
        return operations.size();
    }

    /** How many failed configurations the search holds in memory; none once it has decided. */
    int visitedSize() {
        return failed.size();
    }

    Progress progress() {
        return progress;
    }

    /** Searches for at most {@code maxSteps} steps and says where it got to. */
    @SuppressWarnings("unchecked")
    Progress run(long maxSteps) {
        for (long steps = 0; steps < maxSteps && progress == Progress.UNFINISHED; steps++) {
            if (unplacedCompleted == 0) {
                progress = Progress.LINEARIZABLE;
            } else if (node != EventList.END && !events.isReturn(node)) {
                tryToPlace(node);
            } else if (depth == 0) {
                progress = Progress.NOT_LINEARIZABLE;
            } else {
                failed.addFailed(placedCompleted, placedUnknown, state);
                depth--;
                int callNode = stackNode[depth];
                int index = events.operation(callNode);
                events.unlift(callNode);
                unmark(index);
                state = (S) stackState[depth];
                stackState[depth] = null;
                node = events.next(callNode);
            }
        }
        if (progress != Progress.UNFINISHED) {
            failed.clear();
        }
        return progress;
    }

    private void tryToPlace(int callNode) {
        int index = events.operation(callNode);
        Operation<I, O> op = operations.get(index);
        Optional<S> after = apply(state, op);
        // Placing an operation of unknown outcome that changes nothing only narrows the future: leaving it
        // unplaced allows everything placing it does, so that branch is never worth searching.
        if (after.isEmpty() || (op.outcomeUnknown() && after.get().equals(state))) {
            node = events.next(callNode);
            return;
        }
        mark(index);
        if (failed.subsumes(placedCompleted, placedUnknown, after.get())) {
            unmark(index);
            node = events.next(callNode);
            return;
        }
        stackNode[depth] = callNode;
        stackState[depth] = state;
        depth++;
        events.lift(callNode);
        state = after.get();
        if (!op.outcomeUnknown()) {
            recordIfLongest();
        }
        node = events.first();
    }

    private void mark(int index) {
        if (unknownIndex[index] >= 0) {
            placedUnknown.set(unknownIndex[index]);
        } else {
            placedCompleted.set(index);
            unplacedCompleted--;
        }
    }

    private void unmark(int index) {
        if (unknownIndex[index] >= 0) {
            placedUnknown.clear(unknownIndex[index]);
        } else {
            placedCompleted.clear(index);
            unplacedCompleted++;
        }
    }

    private Optional<S> apply(S from, Operation<I, O> op) {
        return op.output().isPresent()
                ? model.step(from, op.input(), op.output().get())
                : model.stepUnknown(from, op.input());
    }

    private void recordIfLongest() {
        int completedPlaced = completedTotal - unplacedCompleted;
        if (completedPlaced > mostCompletedPlaced) {
            mostCompletedPlaced = completedPlaced;
            longestPrefix = new int[depth];
            for (int i = 0; i < depth; i++) {
                longestPrefix[i] = events.operation(stackNode[i]);
            }
            stateAfterLongestPrefix = state;
        }
    }

    /** Why the partition is not linearizable; only after {@link #run} returned {@code NOT_LINEARIZABLE}. */
    Verdict.NotLinearizable failure() {
        if (progress != Progress.NOT_LINEARIZABLE) {
            throw new IllegalStateException("the search has not failed: " + progress);
        }
        BitSet inPrefix = new BitSet();
        List<Operation<?, ?>> prefix = new ArrayList<>();
        for (int index : longestPrefix) {
            inPrefix.set(index);
            prefix.add(operations.get(index));
        }
        // What may come next in real time: every unplaced operation called no later than the first return among
        // the unplaced operations that must be placed (calls sort before returns at equal times).
        long firstReturn = Long.MAX_VALUE;
        for (int i = 0; i < operations.size(); i++) {
            if (!inPrefix.get(i)) {
                firstReturn = Math.min(firstReturn, operations.get(i).returnTime());
            }
        }
        List<Operation<?, ?>> unplaceable = new ArrayList<>();
        for (int i = 0; i < operations.size(); i++) {
            Operation<I, O> op = operations.get(i);
            if (!inPrefix.get(i) && !op.outcomeUnknown() && op.callTime() <= firstReturn) {
                unplaceable.add(op);
            }
        }
        return new Verdict.NotLinearizable(key, prefix, stateAfterLongestPrefix, unplaceable);
    }
}
