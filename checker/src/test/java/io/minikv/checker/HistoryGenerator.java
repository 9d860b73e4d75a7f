package io.minikv.checker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Histories of a simulated concurrent execution: each operation takes effect at its own moment (the i-th at time
 * 1000 i), in that order, on the model; its recorded call and return lie at random distances before and after
 * that moment, so neighbours overlap. Some operations end with an unknown outcome, and of those some took effect
 * and some never did. Such a history is linearizable by construction; {@link #mutate} plants likely violations.
 */
final class HistoryGenerator {
    private HistoryGenerator() {}

    /**
     * A generated history with, for each operation, the states its key had gone through before it took effect.
     */
    record Execution<S, I, O>(List<Operation<I, O>> history, List<List<S>> earlierStates) {}

    /**
     * Shape of a generated history: an operation's call and return lie up to {@code maxOverlap} operations' time
     * before and after the moment it takes effect. A coarse clock (a resolution above 1) rounds calls down and
     * returns up, which makes equal readings common.
     */
    record Shape(int operations, int keys, int maxOverlap, double unknownShare, long clockResolution) {
        static Shape random(SplittableRandom random, int maxOperations, int maxKeys, int maxOverlap) {
            return new Shape(
                    random.nextInt(1, maxOperations + 1),
                    random.nextInt(1, maxKeys + 1),
                    random.nextInt(0, maxOverlap + 1),
                    random.nextInt(4) == 0 ? 0 : random.nextDouble(0.4),
                    random.nextInt(4) == 0 ? 1000 * random.nextInt(1, 4) : 1);
        }
    }

    static <S, I, O> Execution<S, I, O> execute(Workload<S, I, O> workload, Shape shape, SplittableRandom random) {
        Model<S, I, O> model = workload.model();
        Map<String, List<S>> statesByKey = new HashMap<>();
        List<Operation<I, O>> history = new ArrayList<>();
        List<List<S>> earlierStates = new ArrayList<>();
        for (int i = 0; i < shape.operations(); i++) {
            String key = "k" + random.nextInt(shape.keys());
            // A model not partitioned by key has one state for all keys.
            List<S> states = statesByKey.computeIfAbsent(
                    model.partitionedByKey() ? key : "", k -> new ArrayList<>(List.of(model.initialState())));
            S state = states.getLast();
            earlierStates.add(List.copyOf(states));
            I input = workload.input(random);
            long moment = 1000L * i;
            long callTime =
                    Math.floorDiv(moment - random.nextLong(0, 1000L * shape.maxOverlap() + 1), shape.clockResolution())
                            * shape.clockResolution();
            int client = i % 7;
            if (random.nextDouble() < shape.unknownShare()) {
                if (random.nextBoolean()) {
                    states.add(model.stepUnknown(state, input).orElseThrow());
                }
                history.add(Operation.unknownOutcome(client, key, input, callTime));
            } else {
                O output = workload.output(state, input);
                states.add(model.step(state, input, output).orElseThrow());
                long returnTime = -Math.floorDiv(
                                -(moment + random.nextLong(0, 1000L * shape.maxOverlap() + 1)), shape.clockResolution())
                        * shape.clockResolution();
                history.add(Operation.completed(client, key, input, output, callTime, returnTime));
            }
        }
        return new Execution<>(history, earlierStates);
    }

    /**
     * The history with one change that often breaks linearizability: an operation returns a wrong (stale or
     * never written) output, two operations of the same kind swap outputs, or an operation moves in time.
     */
    static <S, I, O> List<Operation<I, O>> mutate(
            Execution<S, I, O> execution, Workload<S, I, O> workload, SplittableRandom random) {
        List<Operation<I, O>> original = execution.history();
        List<Integer> completed = new ArrayList<>();
        for (int i = 0; i < original.size(); i++) {
            if (!original.get(i).outcomeUnknown()) {
                completed.add(i);
            }
        }
        // Not every pick can change anything (a write has one possible output): try a few.
        for (int attempt = 0; attempt < 20 && !completed.isEmpty(); attempt++) {
            List<Operation<I, O>> history = new ArrayList<>(original);
            int i = completed.get(random.nextInt(completed.size()));
            Operation<I, O> op = history.get(i);
            O output = op.output().orElseThrow();
            switch (random.nextInt(3)) {
                case 0 ->
                    workload.wrongOutput(
                                    op.input(),
                                    output,
                                    execution.earlierStates().get(i),
                                    random)
                            .ifPresent(wrong -> history.set(i, withOutput(op, wrong)));
                case 1 -> {
                    int j = completed.get(random.nextInt(completed.size()));
                    Operation<I, O> other = history.get(j);
                    if (other.input().getClass() == op.input().getClass()) {
                        history.set(i, withOutput(op, other.output().orElseThrow()));
                        history.set(j, withOutput(other, output));
                    }
                }
                default -> {
                    long shift = random.nextLong(-3000L * history.size(), 3000L * history.size() + 1);
                    history.set(
                            i,
                            Operation.completed(
                                    op.clientId(),
                                    op.key(),
                                    op.input(),
                                    output,
                                    op.callTime() + shift,
                                    op.returnTime() + shift));
                }
            }
            if (!history.equals(original)) {
                return history;
            }
        }
        return original;
    }

    /** The operations in random order: the checker must not depend on the order it is given. */
    static <T> List<T> shuffled(List<T> history, SplittableRandom random) {
        List<T> copy = new ArrayList<>(history);
        for (int i = copy.size() - 1; i > 0; i--) {
            Collections.swap(copy, i, random.nextInt(i + 1));
        }
        return copy;
    }

    private static <I, O> Operation<I, O> withOutput(Operation<I, O> op, O output) {
        return Operation.completed(op.clientId(), op.key(), op.input(), output, op.callTime(), op.returnTime());
    }
}
