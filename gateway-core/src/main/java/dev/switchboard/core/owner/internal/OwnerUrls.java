package dev.switchboard.core.owner.internal;

import dev.switchboard.core.owner.OwnerRecord;
import java.util.Optional;

/** How a local client reaches an owner: the bind address made dialable. */
public final class OwnerUrls {
    private OwnerUrls() {}

    /** The host to dial: a wildcard bind is reached on loopback. */
    public static String dialHost(String bind) {
        String host = bind.trim();
        if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            return "127.0.0.1";
        }
        return host;
    }

    /** {@code host:port}, with IPv6 literals in brackets. */
    public static String authority(String host, int port) {
        boolean ipv6 = host.indexOf(':') >= 0 && !host.startsWith("[");
        return (ipv6 ? "[" + host + "]" : host) + ":" + port;
    }

    /** {@code ws://host:port} once the owner has a port. */
    public static Optional<String> wsUrl(OwnerRecord owner) {
        if (owner.port().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                "ws://" + authority(dialHost(owner.bind()), owner.port().getAsInt()));
    }
}
