package io.minikv.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The leader's address as the coordinators last named it: {@code X-Minikv-Leader} on their HTTP
 * answers, {@value #GRPC_HEADER} on their gRPC ones, each in its own protocol's addresses. Writes
 * start there, so that a follower does not have to forward them; the hint is only a hint: a write
 * that fails there forgets it and the next one starts from the usual coordinator.
 */
final class LeaderHint {
    static final String GRPC_HEADER = "x-minikv-leader";
    private static final Metadata.Key<String> GRPC_LEADER =
            Metadata.Key.of(GRPC_HEADER, Metadata.ASCII_STRING_MARSHALLER);

    private final AtomicReference<String> address = new AtomicReference<>();

    /** {@code host:port} of the leader's API in this hint's protocol, as an answer named it. */
    void named(String hostPort) {
        address.set(hostPort);
    }

    /** The address last named, or null. */
    String address() {
        return address.get();
    }

    /** Notes the leader named in the headers of every gRPC answer on the channel it intercepts. */
    ClientInterceptor grpcInterceptor() {
        return new ClientInterceptor() {
            @Override
            public <Q, R> ClientCall<Q, R> interceptCall(
                    MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
                return new SimpleForwardingClientCall<>(next.newCall(method, options)) {
                    @Override
                    public void start(Listener<R> listener, Metadata headers) {
                        super.start(
                                new SimpleForwardingClientCallListener<>(listener) {
                                    @Override
                                    public void onHeaders(Metadata answer) {
                                        String hostPort = answer.get(GRPC_LEADER);
                                        if (hostPort != null) {
                                            named(hostPort);
                                        }
                                        super.onHeaders(answer);
                                    }
                                },
                                headers);
                    }
                };
            }
        };
    }

    /** Forgets {@code hostPort} unless another address was named since. */
    void forget(String hostPort) {
        address.compareAndSet(hostPort, null);
    }
}
