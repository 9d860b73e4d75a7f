package io.minikv.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Waiting for started nodes: a condition checked every 100 ms until it holds or time runs out. */
final class Poll {
    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();

    /** A condition; an exception counts as "not yet" and is reported if time runs out. */
    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    private Poll() {}

    static void until(String what, Duration timeout, Condition condition) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (true) {
            try {
                if (condition.holds()) {
                    return;
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(
                        "gave up after " + timeout.toSeconds() + " s waiting for " + what
                                + (last == null ? "" : " (last error: " + last + ")"),
                        last);
            }
            Thread.sleep(INTERVAL);
        }
    }

    /** GETs {@code uri} and returns the status and body; an unreachable node is an exception. */
    static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
