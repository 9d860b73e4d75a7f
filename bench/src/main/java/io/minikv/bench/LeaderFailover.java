package io.minikv.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time from SIGKILL of the leader to the first acknowledged write. Before the kill, each surviving
 * member gets one write (so that connections are open); then the leader is killed and one prober per
 * survivor writes through it in a loop, each attempt bounded by the attempt timeout and followed by
 * 10 ms of rest after a failure, until any prober's write is acknowledged. The killed member is then
 * started again on its data and the cluster given time to settle, so rounds are independent. The
 * probers' failed attempts are summed up on stderr, so that a slow round says what the writes met.
 */
final class LeaderFailover {
    private static final Duration GIVE_UP = Duration.ofSeconds(60);
    private static final long REST_MILLIS = 10;

    private LeaderFailover() {}

    private record Failure(int member, long nanosAfterKill, String message) {}

    /** Per survivor and message, how many attempts failed so, from when to when after the kill. */
    private static void report(String system, int leader, Iterable<Failure> failures) {
        Map<String, long[]> seen = new TreeMap<>();
        for (Failure f : failures) {
            // The keys differ by attempt; without them, the attempts that failed alike count together.
            String message = String.valueOf(f.message()).replaceAll("failover/[0-9/]+", "KEY");
            String key = "member " + f.member() + ": "
                    + (message.length() > 160 ? message.substring(0, 160) + "..." : message);
            long millis = TimeUnit.NANOSECONDS.toMillis(f.nanosAfterKill());
            seen.merge(key, new long[] {1, millis, millis}, (a, b) -> new long[] {a[0] + b[0], a[1], b[2]});
        }
        seen.forEach((key, v) -> System.err.printf(
                "%s: after killing member %d, %d failed attempts at %d-%d ms through %s%n",
                system, leader, v[0], v[1], v[2], key));
    }

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
            ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
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
                                failures.add(new Failure(member, System.nanoTime() - killed, e.getMessage()));
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
            report(cluster.name(), leader, failures);
        }
        cluster.restart(leader);
        return millis;
    }
}
