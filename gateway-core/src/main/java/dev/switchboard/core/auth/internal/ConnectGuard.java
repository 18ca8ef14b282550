package dev.switchboard.core.auth.internal;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Who may connect: the browser Origin check, then the failed-attempt lockout and the credential
 * check as one step (SPEC §5.1, §5.2). The server asks; the implementation decides, keeps count and
 * logs.
 */
public interface ConnectGuard {
    /** A refusal message when a browser's Origin is not allowed; empty to let it in. */
    Optional<String> refuseOrigin(Optional<String> origin, Optional<String> host);

    /**
     * Checks the credentials of one connect request unless {@code remote} is locked out, and records
     * the outcome for the lockout, atomically: concurrent attempts from one address never get more
     * checks than its limit allows.
     */
    Outcome authenticate(
            InetSocketAddress remote, Optional<String> origin, Optional<String> token, Optional<String> password);

    /**
     * Like {@link #authenticate}, for a credential other than the gateway's own (the hook token):
     * {@code check} decides, under the same lockout and counted the same way. This default only
     * decides; the gateway's guard counts.
     */
    default Outcome authenticateWith(InetSocketAddress remote, Optional<String> origin, Supplier<AuthDecision> check) {
        AuthDecision decision = check.get();
        return decision.ok()
                ? Outcome.accepted(decision.method())
                : Outcome.refused(
                        decision.failure().map(AuthDecision.Failure::code).orElse("AUTH_FAILED"), decision.message());
    }

    /**
     * What one connect attempt came to.
     *
     * @param ok whether the credentials were accepted
     * @param failureCode for {@code error.details.code}, e.g. {@code AUTH_TOKEN_MISMATCH}; empty when
     *     accepted or locked out
     * @param message one line naming the credential source the gateway expected; never a secret
     * @param lockedFor when the address is locked out: how much longer (the credentials were not
     *     checked)
     * @param method how an accepted client authenticated: a rotation of the gateway's credential
     *     closes the sockets that used it, not those of the per-start control token
     */
    record Outcome(
            boolean ok, String failureCode, String message, Optional<Duration> lockedFor, AuthDecision.Method method) {
        public Outcome {
            requireNonNull(failureCode, "failureCode is null");
            requireNonNull(message, "message is null");
            requireNonNull(lockedFor, "lockedFor is null");
            requireNonNull(method, "method is null");
        }

        /** Accepted with the gateway's token. */
        public static Outcome accepted() {
            return accepted(AuthDecision.Method.TOKEN);
        }

        public static Outcome accepted(AuthDecision.Method method) {
            return new Outcome(true, "", "ok", Optional.empty(), method);
        }

        public static Outcome refused(String failureCode, String message) {
            return new Outcome(false, failureCode, message, Optional.empty(), AuthDecision.Method.NONE);
        }

        public static Outcome lockedOut(Duration remaining) {
            return new Outcome(false, "", "locked out", Optional.of(remaining), AuthDecision.Method.NONE);
        }
    }
}
