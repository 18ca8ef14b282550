package dev.switchboard.core.server;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.config.GatewayConfig;
import java.util.Optional;

/**
 * SPEC §5.1: binding anywhere but loopback without auth is refused. The one place the rule is
 * written: {@code gateway run} refuses to start with it, {@code doctor} reports it.
 */
public final class ExposureRule {
    private ExposureRule() {}

    /**
     * Why the gateway must not listen on {@code listen} with {@code authMode}; empty when it may.
     *
     * @return e.g. {@code refusing to bind gateway to 0.0.0.0:18789 without auth (set
     *     gateway.auth.token/password or SWITCHBOARD_GATEWAY_TOKEN)}
     */
    public static Optional<String> refusal(ListenAddress listen, GatewayConfig.AuthMode authMode) {
        requireNonNull(listen, "listen is null");
        requireNonNull(authMode, "authMode is null");
        if (listen.isLoopback() || authMode != GatewayConfig.AuthMode.NONE) {
            return Optional.empty();
        }
        return Optional.of("refusing to bind gateway to " + listen.host() + ":" + listen.port()
                + " without auth (set gateway.auth.token/password or SWITCHBOARD_GATEWAY_TOKEN)");
    }
}
