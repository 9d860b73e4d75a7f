package io.minikv.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The processes of a {@code minikv dev} cluster: starts one per node, waits until they serve,
 * reports a node that exits while the cluster runs (the others keep running), and stops them all.
 * {@link #stop} may run at any moment, from a shutdown hook, even while nodes are being started.
 */
final class DevCluster {
    /** How long the nodes get to stop gracefully, all at once, before they are killed. */
    static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);

    private final MinikvJvm jvm;
    private final PrintWriter err;
    private final List<NodeProcess> started = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private boolean stopping;
    private volatile boolean ready;

    /** @param err where a node that exits while the cluster runs is reported */
    DevCluster(MinikvJvm jvm, PrintWriter err) {
        this.jvm = jvm;
        this.err = err;
    }

    /**
     * Starts a process for each node, in order, and returns them; none once {@link #stop} was
     * called, so then fewer are returned.
     */
    List<NodeProcess> start(List<DevNode> nodes) throws IOException {
        for (DevNode node : nodes) {
            synchronized (this) {
                if (stopping) {
                    break;
                }
                NodeProcess process = NodeProcess.start(node.id(), jvm.command(node.arguments()), node.log());
                started.add(process);
                process.onExit().thenRun(() -> reportExit(process));
            }
        }
        synchronized (this) {
            return List.copyOf(started);
        }
    }

    /**
     * Waits until every node answers {@code GET /health} with 200 and a coordinator says it is the
     * leader.
     *
     * @throws IOException naming the node and its log when a node exits first or does not serve
     *     within {@code timeout}, or when the cluster is stopped first
     */
    void awaitReady(List<DevNode> nodes, Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        boolean hasCoordinators = nodes.stream().anyMatch(node -> node.role() == DevNode.Role.COORDINATOR);
        try (HealthProbe probe = new HealthProbe()) {
            while (true) {
                for (NodeProcess process : startedSoFar()) {
                    if (!process.isAlive()) {
                        throw new IOException(process.id() + " exited with status " + process.exitValue()
                                + " before the cluster was ready; see " + process.log());
                    }
                }
                DevNode notServing = null;
                boolean leader = false;
                for (DevNode node : nodes) {
                    HealthProbe.Health health = probe.check(node.httpUrl());
                    leader |= health.leader();
                    if (!health.serving() && notServing == null) {
                        notServing = node;
                    }
                }
                if (notServing == null && (leader || !hasCoordinators)) {
                    ready = true;
                    return;
                }
                if (Instant.now().isAfter(deadline)) {
                    throw notServing != null
                            ? new IOException(notServing.id() + " did not answer GET /health with 200 within "
                                    + timeout.toSeconds() + " s; see " + notServing.log())
                            : new IOException("no coordinator became leader within " + timeout.toSeconds()
                                    + " s; see the coordinators' logs in "
                                    + nodes.getFirst().log().getParent());
                }
                Thread.sleep(POLL_INTERVAL);
            }
        }
    }

    private synchronized List<NodeProcess> startedSoFar() throws IOException {
        if (stopping) {
            throw new IOException("stopped before the cluster was ready");
        }
        return List.copyOf(started);
    }

    private void reportExit(NodeProcess process) {
        synchronized (this) {
            if (stopping || !ready) {
                return;
            }
        }
        err.println("minikv dev: " + process.id() + " exited with status " + process.exitValue()
                + "; the other nodes keep running; see " + process.log());
    }

    /**
     * Stops every node: SIGTERM to all, then up to {@link #STOP_GRACE} for them to exit before the
     * rest are killed. Returns once every process is gone; a second call waits for the first.
     */
    void stop() {
        List<NodeProcess> toStop;
        synchronized (this) {
            toStop = stopping ? null : List.copyOf(started);
            stopping = true;
        }
        try {
            if (toStop == null) {
                stopped.await();
                return;
            }
            toStop.forEach(NodeProcess::terminate);
            Instant deadline = Instant.now().plus(STOP_GRACE);
            for (NodeProcess process : toStop) {
                Duration left = Duration.between(Instant.now(), deadline);
                process.awaitExitOrKill(left.isNegative() ? Duration.ZERO : left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (toStop != null) {
                stopped.countDown();
            }
        }
    }

    /** Waits until {@link #stop} has stopped every node. */
    void awaitStopped() throws InterruptedException {
        stopped.await();
    }
}
