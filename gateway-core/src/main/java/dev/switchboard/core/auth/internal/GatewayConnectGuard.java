package dev.switchboard.core.auth.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.auth.GatewayAuth;
import dev.switchboard.spi.Secret;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The gateway's {@link ConnectGuard}: the Origin policy, then the failed-attempt lockout (loopback
 * without a browser Origin is exempt) and the credentials as one step, where the per-start control
 * token is always accepted. Failures and lockouts are counted and logged through {@link AuthAudit}.
 */
public final class GatewayConnectGuard implements ConnectGuard {
    private final Supplier<GatewayAuth> auth;
    private final AuthRateLimiter limiter;
    private final Supplier<OriginPolicy> origins;
    private final Secret controlToken;
    private final AuthAudit audit;

    /** @param auth the current credentials; a supplier, so a rotation applies to the next connect */
    public GatewayConnectGuard(
            Supplier<GatewayAuth> auth,
            AuthRateLimiter limiter,
            Supplier<OriginPolicy> origins,
            Secret controlToken,
            AuthAudit audit) {
        this.auth = requireNonNull(auth, "auth is null");
        this.limiter = requireNonNull(limiter, "limiter is null");
        this.origins = requireNonNull(origins, "origins is null");
        this.controlToken = requireNonNull(controlToken, "controlToken is null");
        this.audit = requireNonNull(audit, "audit is null");
    }

    @Override
    public Optional<String> refuseOrigin(Optional<String> origin, Optional<String> host) {
        OriginPolicy.Decision decision = origins.get().check(origin, host);
        return decision.allowed() ? Optional.empty() : Optional.of(decision.message());
    }

    @Override
    public Outcome authenticate(
            InetSocketAddress remote, Optional<String> origin, Optional<String> token, Optional<String> password) {
        return attempt(remote, origin, () -> auth.get().check(token, password, Optional.of(controlToken)));
    }

    @Override
    public Outcome authenticateWith(InetSocketAddress remote, Optional<String> origin, Supplier<AuthDecision> check) {
        return attempt(remote, origin, check);
    }

    /**
     * Begins the attempt with the limiter before looking at the credentials (the lockout check and
     * the reservation are one step), so a concurrent burst from one address gets no more checks than
     * the limit.
     */
    private Outcome attempt(InetSocketAddress remote, Optional<String> origin, Supplier<AuthDecision> check) {
        String address = remote.getAddress().getHostAddress();
        boolean limited = !AuthRateLimiter.exempt(remote.getAddress(), origin);
        if (limited) {
            Optional<Duration> wait = limiter.begin(address);
            if (wait.isPresent()) {
                audit.refusedWhileLocked(address, wait.get());
                return Outcome.lockedOut(wait.get());
            }
        }
        AuthDecision decision;
        try {
            decision = check.get();
        } catch (RuntimeException e) {
            if (limited) {
                limiter.recordFailure(address); // ends the attempt begun above
            }
            throw e;
        }
        if (decision.ok()) {
            if (limited) {
                limiter.recordSuccess(address);
            }
            return Outcome.accepted(decision.method());
        }
        String code = decision.failure().map(AuthDecision.Failure::code).orElse("AUTH_FAILED");
        audit.failed(address, code);
        if (limited) {
            limiter.recordFailure(address).ifPresent(lockout -> audit.lockoutStarted(address, lockout));
        }
        return Outcome.refused(code, decision.message());
    }
}
