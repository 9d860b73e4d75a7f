package io.minikv.volume;

/**
 * An address to listen on, written {@code HOST:PORT} ({@code [::1]:PORT} for IPv6), or only
 * {@code PORT} for every interface. Port 0 asks the system for any free port.
 */
public record HostPort(String host, int port) {
    private static final String ANY_INTERFACE = "0.0.0.0";

    public HostPort {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        }
    }

    /**
     * Reads {@code HOST:PORT}, {@code [IPV6]:PORT} or a bare {@code PORT}.
     *
     * @throws IllegalArgumentException naming the text when it is none of these
     */
    public static HostPort parse(String text) {
        String s = text == null ? "" : text.strip();
        int colon = s.lastIndexOf(':');
        String host = colon < 0 ? ANY_INTERFACE : s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            host = "";
        }
        String port = s.substring(colon + 1);
        if (host.isBlank()
                || port.isEmpty()
                || port.length() > 5
                || !port.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("'" + text + "' is not HOST:PORT or PORT");
        }
        int number = Integer.parseInt(port);
        if (number > 65535) {
            throw new IllegalArgumentException("'" + text + "': port must be in 0..65535");
        }
        return new HostPort(host, number);
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
