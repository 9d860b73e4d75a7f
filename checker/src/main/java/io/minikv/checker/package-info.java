/**
 * A linearizability checker for recorded concurrent histories.
 *
 * <p>A test records every client call as an {@link io.minikv.checker.Operation}: who called, with what input, what
 * came back, and when the call started and returned. {@link io.minikv.checker.LinearizabilityChecker#check} then
 * searches for one order of those operations that respects real time (an operation that returned before another
 * was called comes first) and that a sequential {@link io.minikv.checker.Model} accepts, result by result. The
 * answer is a {@link io.minikv.checker.Verdict}.
 *
 * <p>The search is the one of Wing and Gong ("Testing and verifying concurrent objects", 1993) with Lowe's cache
 * of visited configurations ("Testing for linearizability", 2017): a configuration is the set of operations
 * already placed together with the model state they lead to, and a configuration seen once is never searched
 * again. Histories of models whose keys are independent are split by key and the parts checked on their own
 * (P-compositionality: Horn and Kroening, "Faster linearizability checking via P-compositionality", FORTE 2015).
 *
 * <p>Operations whose outcome is unknown (a client timeout, a broken connection) are first-class: such an
 * operation may have taken effect at any moment after its call, or never. The checker never has to place it.
 */
package io.minikv.checker;
