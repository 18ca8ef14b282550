package dev.switchboard.core.auth;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.server.ConnectGuard;
import dev.switchboard.spi.Secret;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The gateway's {@link ConnectGuard}: the Origin policy, then the failed-attempt lockout (loopback
 * without a browser Origin is exempt), then the credentials, where the per-start control token is
 * always accepted.
 */
public final class GatewayConnectGuard implements ConnectGuard {
    private final Supplier<GatewayAuth> auth;
    private final AuthRateLimiter limiter;
    private final OriginPolicy origins;
    private final Secret controlToken;

    /** @param auth the current credentials; a supplier, so a rotation applies to the next connect */
    public GatewayConnectGuard(
            Supplier<GatewayAuth> auth, AuthRateLimiter limiter, OriginPolicy origins, Secret controlToken) {
        this.auth = requireNonNull(auth, "auth is null");
        this.limiter = requireNonNull(limiter, "limiter is null");
        this.origins = requireNonNull(origins, "origins is null");
        this.controlToken = requireNonNull(controlToken, "controlToken is null");
    }

    @Override
    public Optional<String> refuseOrigin(Optional<String> origin, Optional<String> host) {
        OriginPolicy.Decision decision = origins.check(origin, host);
        return decision.allowed() ? Optional.empty() : Optional.of(decision.message());
    }

    @Override
    public Optional<Duration> lockedOut(InetSocketAddress remote, Optional<String> origin) {
        if (AuthRateLimiter.exempt(remote.getAddress(), origin)) {
            return Optional.empty();
        }
        return limiter.lockedFor(address(remote));
    }

    @Override
    public Outcome authenticate(
            InetSocketAddress remote, Optional<String> origin, Optional<String> token, Optional<String> password) {
        AuthDecision decision = auth.get().check(token, password, Optional.of(controlToken));
        if (!AuthRateLimiter.exempt(remote.getAddress(), origin)) {
            if (decision.ok()) {
                limiter.recordSuccess(address(remote));
            } else {
                limiter.recordFailure(address(remote));
            }
        }
        return decision.ok()
                ? Outcome.accepted()
                : new Outcome(
                        false,
                        decision.failure().map(AuthDecision.Failure::code).orElse("AUTH_FAILED"),
                        decision.message());
    }

    private static String address(InetSocketAddress remote) {
        return remote.getAddress().getHostAddress();
    }
}
