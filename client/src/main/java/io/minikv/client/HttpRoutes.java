package io.minikv.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URI;
import java.util.StringJoiner;

/** The URIs of a coordinator's public HTTP routes (docs/protocol.md), keys percent-encoded as UTF-8. */
final class HttpRoutes {
    private static final String HEX = "0123456789ABCDEF";

    private final String base;

    /** {@code base}: {@code http://host:port}, with or without a trailing slash. */
    HttpRoutes(URI base) {
        String text = base.toString();
        this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    URI blob(String key) {
        return URI.create(base + "/blobs/" + encode(key, true));
    }

    URI blobs(String prefix, String startAfter, int limit) {
        return URI.create(base + "/blobs" + query("prefix", prefix, "start_after", startAfter, "limit", limit));
    }

    URI health() {
        return URI.create(base + "/health");
    }

    URI clusterStatus() {
        return URI.create(base + "/api/v1/cluster/status");
    }

    URI clusterNodes() {
        return URI.create(base + "/api/v1/cluster/nodes");
    }

    URI clusterNode(String id) {
        return URI.create(base + "/api/v1/cluster/nodes/" + encode(id, false));
    }

    URI verify(boolean deep) {
        return URI.create(base + "/api/v1/admin/verify" + query("deep", deep));
    }

    /** {@code replicas} null: the cluster's replica count. */
    URI repair(Integer replicas, boolean dryRun) {
        return URI.create(base + "/api/v1/admin/repair" + query("dry_run", dryRun, "replicas", replicas));
    }

    URI rebalance() {
        return URI.create(base + "/api/v1/admin/rebalance");
    }

    /** {@code shard} null: every shard. */
    URI compact(Integer shard) {
        return URI.create(base + "/api/v1/admin/compact" + query("shard", shard));
    }

    /** {@code ?name=value&...} of the pairs whose value is neither null nor empty. */
    private static String query(Object... pairs) {
        StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        for (int i = 0; i < pairs.length; i += 2) {
            Object value = pairs[i + 1];
            if (value != null && !value.toString().isEmpty()) {
                query.add(pairs[i] + "=" + encode(value.toString(), false));
            }
        }
        return query.toString();
    }

    /** Percent-encodes all but RFC 3986's unreserved characters (and {@code /} in a path). */
    private static String encode(String text, boolean keepSlash) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : text.getBytes(UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~'
                    || (keepSlash && c == '/')) {
                encoded.append(c);
            } else {
                encoded.append('%').append(HEX.charAt(c >> 4)).append(HEX.charAt(c & 0xF));
            }
        }
        return encoded.toString();
    }
}
