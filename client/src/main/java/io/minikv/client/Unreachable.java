package io.minikv.client;

/**
 * A call that provably never reached a server (the connection was refused or never made) and can
 * be sent again as it is. Only transports throw it; {@link Failover} turns it into the next try, or
 * into {@link io.minikv.proto.MinikvException.Unavailable} when no coordinator is left.
 */
final class Unreachable extends RuntimeException {
    Unreachable(String message, Throwable cause) {
        super(message, cause);
    }
}
