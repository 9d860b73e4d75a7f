package io.minikv.coordinator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.minikv.proto.CopyBuffers;
import io.minikv.proto.MinikvException;
import io.minikv.proto.StreamHeads;
import io.minikv.proto.v1.KeyState;
import io.minikv.volume.BodyIdleTimeout;
import io.minikv.volume.ByteRange;
import io.minikv.volume.EntityTags;
import io.minikv.volume.HttpRefusal;
import io.minikv.volume.Precondition;
import io.minikv.volume.ResponseBodies;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The data routes of a coordinator (DESIGN.md §4): {@code /blobs} with raw bodies and
 * {@code /api/v1/kv} with base64 JSON. Writes run the two-phase commit on the leader; reads work
 * on any coordinator.
 */
final class BlobApi {
    /** The largest value of the JSON API, decoded: larger values belong on {@code /blobs}. */
    static final int MAX_KV_VALUE = 1 << 20;
    /** A value up to this size is read whole from a replica before the answer starts, so any replica failure can fall back. */
    private static final int SMALL_VALUE = 256 * 1024;

    private static final int CHUNK = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern(
                    "EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    static final HeaderName VERSION = HeaderNames.create("X-Minikv-Version");

    private final WriteCoordinator writes;
    private final BlobReader reads;
    private final BodyIdleTimeout bodyIdleTimeout;

    BlobApi(WriteCoordinator writes, BlobReader reads, BodyIdleTimeout bodyIdleTimeout) {
        this.writes = writes;
        this.reads = reads;
        this.bodyIdleTimeout = bodyIdleTimeout;
    }

    /** The answer to a successful upload. */
    record Created(String key, String etag, long size, long version, List<String> replicas) {}

    void put(ServerRequest req, ServerResponse res, String key) throws IOException {
        Precondition precondition =
                EntityTags.writePrecondition(header(req, HeaderNames.IF_MATCH), header(req, HeaderNames.IF_NONE_MATCH));
        long length = req.content().hasEntity() ? req.headers().contentLength().orElse(-1) : 0;
        String contentType =
                Optional.ofNullable(header(req, HeaderNames.CONTENT_TYPE)).orElse("");
        InputStream body = length == 0 ? InputStream.nullInputStream() : bodyIdleTimeout.body(req);
        WriteCoordinator.Written written = writes.put(key, body, length, contentType, precondition);
        res.status(Status.CREATED_201);
        res.header(HeaderNames.ETAG, EntityTags.quote(written.etag()));
        res.header(VERSION, Long.toString(written.version()));
        ResponseBodies.json(
                req,
                res,
                new Created(written.key(), written.etag(), written.size(), written.version(), written.replicas()));
    }

    void get(ServerRequest req, ServerResponse res, String key, boolean withBody) throws IOException {
        KeyState meta = reads.lookup(key);
        res.header(HeaderNames.ETAG, EntityTags.quote(meta.getEtag()));
        res.header(HeaderNames.LAST_MODIFIED, HTTP_DATE.format(Instant.ofEpochMilli(meta.getCreatedAtMillis())));
        res.header(HeaderNames.ACCEPT_RANGES, "bytes");
        res.header(VERSION, Long.toString(meta.getVersion()));
        res.header(
                HeaderNames.CONTENT_TYPE,
                meta.getContentType().isEmpty() ? WriteCoordinator.DEFAULT_CONTENT_TYPE : meta.getContentType());
        if (EntityTags.noneMatchFails(header(req, HeaderNames.IF_NONE_MATCH), meta.getEtag())) {
            res.status(Status.NOT_MODIFIED_304).send();
            return;
        }
        ByteRange range = EntityTags.rangeAllowed(header(req, HeaderNames.create("If-Range")), meta.getEtag())
                ? ByteRange.of(header(req, HeaderNames.RANGE), meta.getSize())
                : ByteRange.WHOLE;
        switch (range) {
            case ByteRange.Whole ignored -> {
                res.contentLength(meta.getSize());
                if (!withBody) {
                    res.send();
                } else if (meta.getSize() <= SMALL_VALUE) {
                    res.send(reads.readSmall(meta));
                } else {
                    try (InputStream data = reads.open(meta)) {
                        send(res, data, meta.getSize());
                    }
                }
            }
            case ByteRange.Slice slice -> {
                res.status(Status.PARTIAL_CONTENT_206);
                res.header(
                        HeaderNames.CONTENT_RANGE,
                        "bytes " + slice.first() + "-" + slice.last() + "/" + meta.getSize());
                res.contentLength(slice.length());
                if (!withBody) {
                    res.send();
                    return;
                }
                // A range ends before the checksum does: the whole value is read once to verify it.
                try (InputStream verify = reads.open(meta)) {
                    verify.transferTo(OutputStream.nullOutputStream());
                }
                try (InputStream data = reads.open(meta)) {
                    data.skipNBytes(slice.first());
                    send(res, data, slice.length());
                }
            }
            case ByteRange.Unsatisfiable ignored ->
                throw new HttpRefusal(
                        416,
                        "range not satisfiable: the blob has " + meta.getSize() + " bytes",
                        Map.of("Content-Range", "bytes */" + meta.getSize()));
        }
    }

    private static void send(ServerResponse res, InputStream data, long length) throws IOException {
        byte[] buffer = CopyBuffers.forValue(length, CHUNK);
        long remaining = length;
        try (OutputStream out = res.outputStream()) {
            while (remaining > 0) {
                int n = data.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (n < 0) {
                    throw new IOException("the replica's data ended " + remaining + " bytes early");
                }
                out.write(buffer, 0, n);
                remaining -= n;
            }
        }
    }

    void delete(ServerResponse res, String key) {
        writes.delete(key);
        res.status(Status.NO_CONTENT_204).send();
    }

    void list(ServerRequest req, ServerResponse res, boolean kvShape) {
        String prefix = req.query().first("prefix").orElse("");
        String startAfter = req.query().first("start_after").orElse("");
        int limit =
                req.query().first("limit").asOptional().map(BlobApi::parseLimit).orElse(BlobReader.DEFAULT_LIST_LIMIT);
        List<String> keys = reads.list(prefix, startAfter, limit);
        ResponseBodies.json(req, res, kvShape ? Map.of("keys", keys) : keys);
    }

    void kvPut(ServerRequest req, ServerResponse res, String key) throws IOException {
        byte[] body;
        try (InputStream in = bodyIdleTimeout.body(req)) {
            body = StreamHeads.read(in, MAX_KV_VALUE * 2);
            if (in.read() >= 0) {
                throw new MinikvException.TooLarge(
                        "a value of the JSON API is at most " + MAX_KV_VALUE + " bytes; use /blobs for larger ones");
            }
        }
        JsonNode value;
        try {
            value = JSON.readTree(body).get("value");
        } catch (IOException e) {
            throw new MinikvException.InvalidArgument("the body must be JSON: {\"value\": \"<base64>\"}");
        }
        if (value == null || !value.isTextual()) {
            throw new MinikvException.InvalidArgument("the body must be JSON: {\"value\": \"<base64>\"}");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(value.textValue());
        } catch (IllegalArgumentException e) {
            throw new MinikvException.InvalidArgument("value is not base64: " + e.getMessage());
        }
        if (bytes.length > MAX_KV_VALUE) {
            throw new MinikvException.TooLarge(
                    "a value of the JSON API is at most " + MAX_KV_VALUE + " bytes; use /blobs for larger ones");
        }
        WriteCoordinator.Written written = writes.put(
                key,
                new ByteArrayInputStream(bytes),
                bytes.length,
                WriteCoordinator.DEFAULT_CONTENT_TYPE,
                Precondition.NONE);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("key", key);
        answer.put("version", written.version());
        ResponseBodies.json(req, res, answer);
    }

    void kvGet(ServerRequest req, ServerResponse res, String key) throws IOException {
        KeyState meta = reads.lookup(key);
        if (meta.getSize() > MAX_KV_VALUE) {
            throw new MinikvException.TooLarge("the value has " + meta.getSize() + " bytes; read it from /blobs");
        }
        byte[] bytes = reads.readSmall(meta);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("key", key);
        answer.put("value", Base64.getEncoder().encodeToString(bytes));
        answer.put("version", meta.getVersion());
        ResponseBodies.json(req, res, answer);
    }

    private static int parseLimit(String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new MinikvException.InvalidArgument("limit must be a number from 1 to " + BlobReader.MAX_LIST_LIMIT);
        }
    }

    private static String header(ServerRequest req, HeaderName name) {
        return req.headers().first(name).orElse(null);
    }
}
