package dev.switchboard.core.config.internal;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * An http(s) browser origin split into its parts, as {@code gateway.control_ui.allowed_origins}
 * writes them and browsers send them; {@code port} is the effective port (the default filled in).
 */
public record Origin(String scheme, String host, int port) {
    public Origin {
        requireNonNull(scheme, "scheme is null");
        requireNonNull(host, "host is null");
    }

    /**
     * The origin in {@code text}: an {@code http}/{@code https} URI with a host and nothing else (a
     * lone trailing {@code /} aside). Empty for another scheme, {@code null}, a path, a query, user
     * info or a port out of range.
     */
    public static Optional<Origin> parse(String text) {
        URI uri;
        try {
            uri = new URI(requireNonNull(text, "text is null").trim());
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.empty();
        }
        String path = uri.getRawPath();
        if (uri.getHost() == null
                || uri.getRawUserInfo() != null
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null
                || (path != null && !path.isEmpty() && !path.equals("/"))) {
            return Optional.empty();
        }
        int port = uri.getPort() == -1 ? defaultPort(scheme) : uri.getPort();
        if (port < 1 || port > 65535) {
            return Optional.empty();
        }
        return Optional.of(new Origin(scheme, uri.getHost().toLowerCase(Locale.ROOT), port));
    }

    /**
     * The canonical form of an http(s) origin: lower-case scheme and host, no default port, no
     * trailing slash ({@code HTTPS://Ops.Example.com:443/} becomes {@code https://ops.example.com}).
     * Empty when {@code origin} is not one.
     */
    public static Optional<String> normalize(String origin) {
        return parse(origin).map(Origin::normalized);
    }

    public String normalized() {
        return scheme + "://" + host + (port == defaultPort(scheme) ? "" : ":" + port);
    }

    private static int defaultPort(String scheme) {
        return scheme.equals("https") ? 443 : 80;
    }
}
