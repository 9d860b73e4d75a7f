package io.minikv.volume;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.Supplier;

/**
 * The address a volume tells the coordinators to reach it at: the one it bound, except that a
 * wildcard bind ({@code 0.0.0.0}, {@code ::}) is not an address anyone can connect to, so it is
 * replaced by this machine's host name, the way Kafka picks its default advertised listener. To
 * advertise a particular address, bind that address.
 */
final class AdvertisedAddress {
    private static final String LOOPBACK = "127.0.0.1";

    private AdvertisedAddress() {}

    /** {@code bound}, with a wildcard host replaced by this machine's host name. */
    static HostPort of(HostPort bound) {
        return of(bound, AdvertisedAddress::localHostName);
    }

    /** {@code bound}, with a wildcard host replaced by {@code hostName}'s answer. */
    static HostPort of(HostPort bound, Supplier<String> hostName) {
        return isWildcard(bound.host()) ? new HostPort(hostName.get(), bound.port()) : bound;
    }

    private static boolean isWildcard(String host) {
        try {
            return InetAddress.ofLiteral(host).isAnyLocalAddress();
        } catch (IllegalArgumentException notAnIpLiteral) {
            return false;
        }
    }

    /** This machine's name; loopback when the name does not resolve, so only local coordinators can reach it. */
    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return LOOPBACK;
        }
    }
}
