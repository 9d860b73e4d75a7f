package io.minikv.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minikv.proto.HttpStatuses;
import io.minikv.proto.MinikvException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** What a failed HTTP exchange means for the caller: the one place where HTTP failures become exceptions. */
final class HttpFailures {
    /** An error body is a short JSON object; more than this is not read. */
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpFailures() {}

    /** The exception for an answer with an error status; reads and closes its body. */
    static RuntimeException ofAnswer(String coordinator, HttpResponse<InputStream> response) {
        String message;
        try (InputStream body = response.body()) {
            message = errorMessage(new String(body.readNBytes(MAX_ERROR_BODY), StandardCharsets.UTF_8));
        } catch (IOException e) {
            message = "";
        }
        if (message.isEmpty()) {
            message = "HTTP " + response.statusCode();
        }
        MinikvException domain = HttpStatuses.fromStatus(response.statusCode(), message);
        return domain != null
                ? domain
                : new UnexpectedResponseException(
                        coordinator + " answered HTTP " + response.statusCode() + ": " + message);
    }

    /**
     * The exception for an exchange that broke: {@link Unreachable} when no connection was made,
     * a timeout, or else a lost connection (the request may have been received).
     */
    static RuntimeException ofBreak(String coordinator, IOException e, Duration timeout) {
        if (e instanceof ConnectException || e instanceof HttpConnectTimeoutException) {
            return new Unreachable(coordinator + ": cannot connect (" + describe(e) + ")", e);
        }
        if (e instanceof HttpTimeoutException) {
            return timeout(coordinator, timeout);
        }
        return new MinikvException.Unavailable(coordinator + ": connection lost (" + describe(e) + ")");
    }

    static MinikvException.Timeout timeout(String coordinator, Duration timeout) {
        return new MinikvException.Timeout(coordinator + " did not answer within " + timeout.toMillis() + " ms");
    }

    private static String errorMessage(String body) {
        try {
            JsonNode error = JSON.readTree(body).get("error");
            if (error != null && error.isTextual()) {
                return error.asText();
            }
        } catch (IOException | RuntimeException e) {
            // Not the JSON error of the protocol (a proxy's page, say): show its text instead.
        }
        return body.strip().lines().findFirst().orElse("");
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
