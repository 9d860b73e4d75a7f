package io.minikv.bench;

import java.io.IOException;
import java.time.Duration;

/**
 * A replicated cluster that the benchmark started on loopback, as child processes with data on disk,
 * and stops on close. Members are numbered from 0.
 */
interface ClusterUnderTest extends AutoCloseable {
    /** The system's name in reports: {@code etcd} or {@code minikv}. */
    String name();

    /** What was measured, for the report: the version and the settings that matter. */
    String description() throws IOException, InterruptedException;

    int members();

    /** A driver whose calls give up after {@code timeout}. */
    KvDriver driver(Duration timeout) throws IOException;

    /** The member that leads now, as the cluster itself reports it. */
    int leader() throws IOException, InterruptedException;

    /** SIGKILL: the member gets no chance to flush or say goodbye. */
    void kill(int member) throws InterruptedException;

    /** Starts a killed member again on its data; returns once every member serves and there is a leader. */
    void restart(int member) throws IOException, InterruptedException;

    /** The CPU time the members' running processes have used since they started. */
    Duration cpuTime();

    /** Housekeeping between measured rows, outside the measured windows. */
    void betweenRows() throws IOException, InterruptedException;

    @Override
    void close() throws IOException, InterruptedException;
}
