package io.minikv.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Closed-loop load: {@code clients} clients, each a virtual thread that makes one request at a time
 * and starts the next as soon as the last one answered, for a fixed time. Throughput is therefore
 * bound by latency ({@code clients / mean latency}), as with real synchronous callers. A failed
 * request counts as an error, not as a latency.
 */
final class ClosedLoop {
    /** One request by {@code client}, with that client's own random source. */
    @FunctionalInterface
    interface Request {
        void run(int client, SplittableRandom random) throws IOException, InterruptedException;
    }

    /**
     * What one run did.
     *
     * @param firstError the first failure's message, or null when nothing failed
     */
    record Outcome(long operations, long errors, double seconds, LatencyHistogram latencies, String firstError) {
        double perSecond() {
            return operations / seconds;
        }
    }

    private ClosedLoop() {}

    static Outcome run(int clients, Duration length, long seed, Request request) throws InterruptedException {
        long end = System.nanoTime() + length.toNanos();
        List<Client> running = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long started = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            Client client = new Client(c, new SplittableRandom(seed * 7919 + c), request);
            running.add(client);
            threads.add(Thread.ofVirtual().start(() -> client.loop(end)));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        LatencyHistogram latencies = new LatencyHistogram();
        long errors = 0;
        String firstError = null;
        for (Client client : running) {
            latencies.add(client.latencies);
            errors += client.errors;
            if (firstError == null) {
                firstError = client.firstError;
            }
        }
        return new Outcome(latencies.count(), errors, seconds, latencies, firstError);
    }

    private static final class Client {
        private final int index;
        private final SplittableRandom random;
        private final Request request;
        private final LatencyHistogram latencies = new LatencyHistogram();
        private long errors;
        private String firstError;

        Client(int index, SplittableRandom random, Request request) {
            this.index = index;
            this.random = random;
            this.request = request;
        }

        void loop(long end) {
            while (System.nanoTime() < end) {
                long start = System.nanoTime();
                try {
                    request.run(index, random);
                    latencies.record(System.nanoTime() - start);
                } catch (IOException e) {
                    errors++;
                    if (firstError == null) {
                        firstError = e.getMessage();
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
