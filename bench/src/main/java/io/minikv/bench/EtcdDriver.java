package io.minikv.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.GetResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * etcd through jetcd. Each connection is a jetcd client with a single endpoint, so that a client's
 * requests go to the member {@link KvDriver} promises rather than wherever jetcd's load balancer
 * sends them; the closed-loop clients pinned to a member share its connections (gRPC multiplexes
 * them over HTTP/2). Gets use jetcd's default options: {@code serializable=false}, a linearizable
 * read that the member confirms with the leader (ReadIndex) before answering.
 */
final class EtcdDriver implements KvDriver {
    private final List<Client> connections = new ArrayList<>();
    private final Duration timeout;

    /** {@code connectionsPerMember} jetcd clients for each endpoint; a call waits at most {@code timeout}. */
    EtcdDriver(List<URI> endpoints, int connectionsPerMember, Duration timeout) {
        this.timeout = timeout;
        for (int c = 0; c < connectionsPerMember; c++) {
            for (URI endpoint : endpoints) {
                connections.add(Client.builder().endpoints(endpoint).build());
            }
        }
    }

    @Override
    public void put(int client, String key, byte[] value) throws IOException, InterruptedException {
        await(kv(client).put(bytes(key), ByteSequence.from(value)));
    }

    @Override
    public int get(int client, String key) throws IOException, InterruptedException {
        GetResponse response = await(kv(client).get(bytes(key)));
        if (response.getKvs().isEmpty()) {
            throw new IOException("etcd has no key " + key);
        }
        return response.getKvs().getFirst().getValue().size();
    }

    @Override
    public void close() {
        connections.forEach(Client::close);
    }

    /** Connection {@code client % connections}, which is member {@code client % members}: they cycle through the members. */
    private KV kv(int client) {
        return connections.get(client % connections.size()).getKVClient();
    }

    private <T> T await(CompletableFuture<T> call) throws IOException, InterruptedException {
        try {
            return call.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IOException("etcd: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new IOException("etcd: no answer within " + timeout.toMillis() + " ms");
        }
    }

    private static ByteSequence bytes(String key) {
        return ByteSequence.from(key, StandardCharsets.UTF_8);
    }
}
