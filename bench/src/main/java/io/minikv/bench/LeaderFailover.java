package io.minikv.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time from SIGKILL of the leader to the first acknowledged write. Before the kill, each surviving
 * member gets one write (so that connections are open); then the leader is killed and one prober per
 * survivor writes through it in a loop, each attempt bounded by the attempt timeout and followed by
 * 10 ms of rest after a failure, until any prober's write is acknowledged. The killed member is then
 * started again on its data and the cluster given time to settle, so rounds are independent.
 */
final class LeaderFailover {
    private static final Duration GIVE_UP = Duration.ofSeconds(60);
    private static final long REST_MILLIS = 10;

    private LeaderFailover() {}

    /** Milliseconds from the SIGKILL to the first write acknowledged through a surviving member. */
    static long measure(ClusterUnderTest cluster, int round, Duration attemptTimeout, byte[] value)
            throws IOException, InterruptedException {
        int leader = cluster.leader();
        List<Integer> survivors = new ArrayList<>();
        for (int member = 0; member < cluster.members(); member++) {
            if (member != leader) {
                survivors.add(member);
            }
        }
        long millis;
        try (KvDriver driver = cluster.driver(attemptTimeout)) {
            for (int member : survivors) {
                driver.put(member, "failover/" + round + "/before/" + member, value);
            }
            CountDownLatch acknowledged = new CountDownLatch(1);
            AtomicLong firstAcknowledged = new AtomicLong(Long.MAX_VALUE);
            long killed = System.nanoTime();
            cluster.kill(leader);
            List<Thread> probers = new ArrayList<>();
            for (int member : survivors) {
                probers.add(Thread.ofVirtual().start(() -> {
                    try {
                        for (int attempt = 0; acknowledged.getCount() > 0; attempt++) {
                            try {
                                driver.put(member, "failover/" + round + "/" + member + "/" + attempt, value);
                                firstAcknowledged.accumulateAndGet(System.nanoTime(), Math::min);
                                acknowledged.countDown();
                            } catch (IOException e) {
                                Thread.sleep(REST_MILLIS);
                            }
                        }
                    } catch (InterruptedException e) {
                        // Another prober's write was acknowledged first, or time ran out.
                    }
                }));
            }
            boolean succeeded = acknowledged.await(GIVE_UP.toSeconds(), TimeUnit.SECONDS);
            for (Thread prober : probers) {
                prober.interrupt();
                prober.join();
            }
            if (!succeeded) {
                throw new IOException(cluster.name() + ": no write acknowledged within " + GIVE_UP.toSeconds()
                        + " s of killing leader member " + leader);
            }
            millis = TimeUnit.NANOSECONDS.toMillis(firstAcknowledged.get() - killed);
        }
        cluster.restart(leader);
        return millis;
    }
}
