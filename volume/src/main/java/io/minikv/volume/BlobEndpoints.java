package io.minikv.volume;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.minikv.proto.BlobKeys;
import io.minikv.proto.CopyBuffers;
import io.minikv.proto.MinikvException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The blob routes of DESIGN.md §4 on one volume: upload, download (whole or a range), HEAD, delete, list. */
final class BlobEndpoints {
    static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";
    static final int DEFAULT_LIST_LIMIT = 1000;
    static final int MAX_LIST_LIMIT = 10_000;

    private static final int MAX_CONTENT_TYPE_LENGTH = 1024;
    private static final int CHUNK = 64 * 1024;
    /** A Range GET re-opens the blob after verifying it; if it keeps changing meanwhile, give up. */
    private static final int MAX_RANGE_ATTEMPTS = 3;

    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern(
                    "EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);
    private static final HeaderName IF_RANGE = HeaderNames.create("If-Range");

    private final BlobStore blobs;
    private final String volumeId;
    private final boolean replica;
    private final UploadSlots uploads;
    private final VolumeMetrics metrics;
    private final BodyIdleTimeout bodyIdleTimeout;

    BlobEndpoints(
            BlobStore blobs,
            String volumeId,
            boolean replica,
            UploadSlots uploads,
            VolumeMetrics metrics,
            BodyIdleTimeout bodyIdleTimeout) {
        this.blobs = blobs;
        this.bodyIdleTimeout = bodyIdleTimeout;
        this.volumeId = volumeId;
        this.replica = replica;
        this.uploads = uploads;
        this.metrics = metrics;
    }

    /** The answer to a successful upload. */
    record Created(String key, String etag, long size, long version, String volumeId) {}

    /**
     * {@code PUT} or {@code POST /blobs/{key}}: streams the body into the store. A declared length
     * over the limit is refused before a byte is read; a body of unknown length is cut off by
     * the store once it passes the limit.
     */
    void put(ServerRequest req, ServerResponse res, String key) throws IOException {
        Precondition precondition =
                EntityTags.writePrecondition(header(req, HeaderNames.IF_MATCH), header(req, HeaderNames.IF_NONE_MATCH));
        long length = req.content().hasEntity() ? req.headers().contentLength().orElse(-1) : 0;
        if (length > blobs.maxBlobSize()) {
            throw new MinikvException.TooLarge(
                    "blob of " + length + " bytes exceeds the limit of " + blobs.maxBlobSize() + " bytes");
        }
        String contentType = header(req, HeaderNames.CONTENT_TYPE);
        if (contentType == null || contentType.isBlank()) {
            contentType = DEFAULT_CONTENT_TYPE;
        } else if (contentType.length() > MAX_CONTENT_TYPE_LENGTH) {
            throw new MinikvException.InvalidArgument(
                    "Content-Type is longer than " + MAX_CONTENT_TYPE_LENGTH + " characters");
        }
        BlobInfo info;
        UploadSlots.Slot slot = uploads.take();
        try {
            InputStream body = length == 0 ? InputStream.nullInputStream() : bodyIdleTimeout.body(req);
            info = blobs.put(key, metrics.countingReceived(body), length, contentType, precondition);
        } finally {
            slot.close();
        }
        res.status(Status.CREATED_201);
        res.header(HeaderNames.ETAG, EntityTags.quote(info.etag()));
        ResponseBodies.json(req, res, new Created(info.key(), info.etag(), info.size(), info.version(), volumeId));
    }

    /**
     * {@code GET /blobs/{key}}: the whole blob, or one byte range of it. The whole blob streams
     * through the store's verifying stream, which fails before its last chunk when the checksum
     * does not match; the connection is then aborted (see {@link ErrorResponses}). A range cannot
     * be checked that way, since it ends before the checksum does: the whole value is read
     * once to verify it, then the range is read and sent. A range request therefore reads up to
     * the blob's size plus the range's end from disk.
     */
    void get(ServerRequest req, ServerResponse res, String key) throws IOException {
        get(req, res, key, 1);
    }

    private void get(ServerRequest req, ServerResponse res, String key, int attempt) throws IOException {
        try (BlobData blob = blobs.open(key, 0).orElseThrow(BlobEndpoints::notFound)) {
            BlobInfo info = blob.info();
            describe(res, info);
            if (EntityTags.noneMatchFails(header(req, HeaderNames.IF_NONE_MATCH), info.etag())) {
                res.status(Status.NOT_MODIFIED_304).send();
                return;
            }
            ByteRange range = EntityTags.rangeAllowed(header(req, IF_RANGE), info.etag())
                    ? ByteRange.of(header(req, HeaderNames.RANGE), info.size())
                    : ByteRange.WHOLE;
            switch (range) {
                case ByteRange.Whole ignored -> {
                    res.contentLength(info.size());
                    send(res, blob.data(), info.size());
                }
                case ByteRange.Slice slice -> {
                    if (!sendSlice(res, blob, slice, attempt)) {
                        get(req, res, key, attempt + 1);
                    }
                }
                case ByteRange.Unsatisfiable ignored ->
                    throw new HttpRefusal(
                            416,
                            "range not satisfiable: the blob has " + info.size() + " bytes",
                            Map.of("Content-Range", "bytes */" + info.size()));
            }
        }
    }

    /** {@code HEAD /blobs/{key}}: the headers of the GET, without reading the data. */
    void head(ServerRequest req, ServerResponse res, String key) throws IOException {
        BlobInfo info = blobs.head(key).orElseThrow(BlobEndpoints::notFound);
        describe(res, info);
        if (EntityTags.noneMatchFails(header(req, HeaderNames.IF_NONE_MATCH), info.etag())) {
            res.status(Status.NOT_MODIFIED_304).send();
            return;
        }
        res.contentLength(info.size());
        res.send();
    }

    /** {@code DELETE /blobs/{key}}: 204 whether or not the blob was there. */
    void delete(ServerRequest req, ServerResponse res, String key) throws IOException {
        blobs.delete(key);
        res.status(Status.NO_CONTENT_204).send();
    }

    /** {@code GET /blobs?prefix=&start_after=&limit=}: a sorted JSON array of keys. */
    void list(ServerRequest req, ServerResponse res) throws IOException {
        String prefix = keyParameter(req, "prefix");
        String startAfter = keyParameter(req, "start_after");
        int limit = DEFAULT_LIST_LIMIT;
        Optional<String> limitText = req.query().first("limit").asOptional();
        if (limitText.isPresent()) {
            limit = parseLimit(limitText.get());
        }
        List<String> keys = blobs.list(prefix, startAfter, limit);
        ResponseBodies.json(req, res, keys);
    }

    private static int parseLimit(String text) {
        int limit;
        try {
            limit = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new MinikvException.InvalidArgument("limit must be a number from 1 to " + MAX_LIST_LIMIT);
        }
        if (limit < 1 || limit > MAX_LIST_LIMIT) {
            throw new MinikvException.InvalidArgument("limit must be from 1 to " + MAX_LIST_LIMIT + ", got " + limit);
        }
        return limit;
    }

    /** A query parameter that holds (the start of) a key: empty when absent, else it follows the key rules. */
    private static String keyParameter(ServerRequest req, String name) {
        String value = req.query().first(name).orElse("");
        String problem = value.isEmpty() ? null : BlobKeys.problem(value);
        if (problem != null) {
            throw new MinikvException.InvalidArgument(name + ": " + problem);
        }
        return value;
    }

    /**
     * Verifies the whole blob, then sends {@code slice}. Returns false when the version was
     * replaced or deleted between the two reads, so that the request starts over.
     */
    private boolean sendSlice(ServerResponse res, BlobData blob, ByteRange.Slice slice, int attempt)
            throws IOException {
        InputStream data = blob.data();
        BlobData reopened = null;
        try {
            if (data.markSupported()) {
                data.mark(Integer.MAX_VALUE);
                data.transferTo(OutputStream.nullOutputStream());
                data.reset();
            } else {
                data.transferTo(OutputStream.nullOutputStream());
                reopened = blobs.open(blob.info().key(), blob.info().version()).orElse(null);
                if (reopened == null) {
                    if (attempt >= MAX_RANGE_ATTEMPTS) {
                        throw new MinikvException.Unavailable("the blob kept changing while being read; retry");
                    }
                    return false;
                }
                data = reopened.data();
            }
            data.skipNBytes(slice.first());
            res.status(Status.PARTIAL_CONTENT_206);
            res.header(
                    HeaderNames.CONTENT_RANGE,
                    "bytes " + slice.first() + "-" + slice.last() + "/"
                            + blob.info().size());
            res.contentLength(slice.length());
            send(res, data, slice.length());
            return true;
        } finally {
            if (reopened != null) {
                reopened.close();
            }
        }
    }

    /**
     * Copies {@code length} bytes of {@code data} into the response body. The first chunk is read
     * before the body starts, so a small value that fails its checksum is still answered with a
     * clean 500; a later failure aborts the response.
     */
    private void send(ServerResponse res, InputStream data, long length) throws IOException {
        byte[] buffer = CopyBuffers.forValue(length, CHUNK);
        int n = length == 0 ? 0 : data.readNBytes(buffer, 0, (int) Math.min(buffer.length, length));
        if (n == 0) {
            res.send();
            return;
        }
        long remaining = length;
        long sent = 0;
        try (OutputStream out = res.outputStream()) {
            while (n > 0) {
                out.write(buffer, 0, n);
                sent += n;
                remaining -= n;
                n = remaining == 0 ? 0 : data.read(buffer, 0, (int) Math.min(buffer.length, remaining));
            }
            if (remaining > 0) {
                throw new IOException("stored data ended " + remaining + " bytes early");
            }
        } finally {
            metrics.sent(sent);
        }
    }

    /** A volume in a cluster takes writes only from coordinators, over the internal protocol. */
    void refuseWritesOnReplica() {
        if (replica) {
            throw new HttpRefusal(
                    405,
                    "this volume is a cluster replica: write through the coordinators",
                    Map.of("Allow", "GET, HEAD"));
        }
    }

    /** The headers a blob's GET and HEAD share. */
    private static void describe(ServerResponse res, BlobInfo info) {
        res.header(HeaderNames.ETAG, EntityTags.quote(info.etag()));
        res.header(HeaderNames.LAST_MODIFIED, HTTP_DATE.format(Instant.ofEpochMilli(info.createdAtMillis())));
        res.header(HeaderNames.ACCEPT_RANGES, "bytes");
        res.header(HeaderNames.CONTENT_TYPE, info.contentType().isEmpty() ? DEFAULT_CONTENT_TYPE : info.contentType());
    }

    private static MinikvException notFound() {
        return new MinikvException.NotFound("Blob not found");
    }

    private static String header(ServerRequest req, HeaderName name) {
        return req.headers().first(name).orElse(null);
    }
}
