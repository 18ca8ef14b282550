package dev.switchboard.core.auth.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.config.internal.Origin;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which browser pages may talk to the gateway (SPEC §5.2): a request without an {@code Origin}
 * header is not from a browser and passes; a browser page passes when it is served by the gateway
 * itself (same origin: its host and port equal the {@code Host} header) or when its origin is in
 * {@code gateway.control_ui.allowed_origins}. Everything else, {@code null} and {@code file://}
 * origins included, is refused. Immutable; build a new one when the allowlist changes.
 */
public final class OriginPolicy {
    private static final String ALLOWLIST_KEY = "gateway.control_ui.allowed_origins";

    private final Set<String> allowed;

    /**
     * @param allowedOrigins origins such as {@code https://ops.example.com}; normalised here
     * @throws IllegalArgumentException naming an entry that is not an http(s) origin
     */
    public OriginPolicy(List<String> allowedOrigins) {
        requireNonNull(allowedOrigins, "allowedOrigins is null");
        Set<String> set = new LinkedHashSet<>();
        for (String origin : allowedOrigins) {
            requireNonNull(origin, "allowedOrigins contains null");
            set.add(Origin.normalize(origin)
                    .orElseThrow(() -> new IllegalArgumentException("not an origin: " + origin
                            + " (expected: scheme http or https, host and optional port, no path)")));
        }
        this.allowed = Set.copyOf(set);
    }

    /** What {@link #check} decided; {@code message} says why in one line. */
    public record Decision(boolean allowed, String message) {
        public Decision {
            requireNonNull(message, "message is null");
        }
    }

    /**
     * Whether a browser request may connect, from its {@code Origin} and {@code Host} headers.
     *
     * @param origin the request's {@code Origin} header, if any
     * @param hostHeader the request's {@code Host} header, if any
     */
    public Decision check(Optional<String> origin, Optional<String> hostHeader) {
        requireNonNull(origin, "origin is null");
        requireNonNull(hostHeader, "hostHeader is null");
        if (origin.isEmpty()) {
            return new Decision(true, "no Origin header (not a browser)");
        }
        String raw = origin.get().trim();
        Optional<Origin> parsed = Origin.parse(raw);
        if (parsed.isPresent()) {
            Origin page = parsed.get();
            if (hostHeader.isPresent() && sameOrigin(page, hostHeader.get().trim())) {
                return new Decision(true, "same origin");
            }
            if (allowed.contains(page.normalized())) {
                return new Decision(true, "origin allowed by " + ALLOWLIST_KEY);
            }
        }
        return new Decision(
                false,
                "origin not allowed: " + printable(raw) + " (open the Control UI from the gateway host or add it to "
                        + ALLOWLIST_KEY + ")");
    }

    /** The allowlist, normalised. */
    public Set<String> allowedOrigins() {
        return allowed;
    }

    private static boolean sameOrigin(Origin page, String hostHeader) {
        if (hostHeader.isEmpty()) {
            return false;
        }
        Optional<Origin> host = Origin.parse(page.scheme() + "://" + hostHeader);
        return host.isPresent()
                && host.get().host().equals(page.host())
                && host.get().port() == page.port();
    }

    /** The header as sent, cut and stripped of control characters so it is safe in a log line. */
    private static String printable(String text) {
        String cut = text.length() > 200 ? text.substring(0, 200) + "..." : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
