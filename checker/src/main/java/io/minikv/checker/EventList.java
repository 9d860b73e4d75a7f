package io.minikv.checker;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A partition's call and return events in time order, as a doubly linked list that the search unlinks and
 * relinks operations from (Knuth's "dancing links": a removed node keeps its neighbours, so undoing removals in
 * reverse order restores the list exactly).
 *
 * <p>Node 0 is the head. Every operation has a call node; only operations with a known outcome have a return
 * node, because an operation whose outcome is unknown never has to be placed. At equal times calls come before
 * returns, which makes operations with equal readings concurrent, as {@link Operation} promises.
 */
final class EventList {
    static final int END = -1;
    static final int HEAD = 0;

    private final int[] next;
    private final int[] prev;
    private final int[] operation;
    private final int[] returnNode;
    private final boolean[] isReturn;

    EventList(List<? extends Operation<?, ?>> operations) {
        record Event(long time, boolean isReturn, int operation) {}
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < operations.size(); i++) {
            Operation<?, ?> op = operations.get(i);
            events.add(new Event(op.callTime(), false, i));
            if (!op.outcomeUnknown()) {
                events.add(new Event(op.returnTime(), true, i));
            }
        }
        events.sort(Comparator.comparingLong(Event::time).thenComparing(Event::isReturn));
        int size = events.size() + 1;
        next = new int[size];
        prev = new int[size];
        operation = new int[size];
        returnNode = new int[size];
        isReturn = new boolean[size];
        int[] callNodeOf = new int[operations.size()];
        operation[HEAD] = -1;
        returnNode[HEAD] = END;
        for (int node = 1; node < size; node++) {
            Event event = events.get(node - 1);
            operation[node] = event.operation();
            returnNode[node] = END;
            isReturn[node] = event.isReturn();
            if (event.isReturn()) {
                returnNode[callNodeOf[event.operation()]] = node;
            } else {
                callNodeOf[event.operation()] = node;
            }
        }
        for (int node = 0; node < size; node++) {
            prev[node] = node - 1;
            next[node] = node + 1 < size ? node + 1 : END;
        }
    }

    int first() {
        return next[HEAD];
    }

    int next(int node) {
        return next[node];
    }

    /** The index of the node's operation in the partition. */
    int operation(int node) {
        return operation[node];
    }

    boolean isReturn(int node) {
        return isReturn[node];
    }

    /** Unlinks a call node and its return node, if it has one. */
    void lift(int callNode) {
        unlink(callNode);
        if (returnNode[callNode] != END) {
            unlink(returnNode[callNode]);
        }
    }

    /** Undoes {@link #lift}; lifts must be undone in reverse order. */
    void unlift(int callNode) {
        if (returnNode[callNode] != END) {
            relink(returnNode[callNode]);
        }
        relink(callNode);
    }

    private void unlink(int node) {
        next[prev[node]] = next[node];
        if (next[node] != END) {
            prev[next[node]] = prev[node];
        }
    }

    private void relink(int node) {
        next[prev[node]] = node;
        if (next[node] != END) {
            prev[next[node]] = node;
        }
    }
}
