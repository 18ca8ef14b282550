package dev.switchboard.core.server;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * Who may connect: the browser Origin check, the failed-attempt lockout and the credential check,
 * in that order (SPEC §5.1, §5.2). The server asks; the implementation decides and keeps count.
 */
public interface ConnectGuard {
    /** A refusal message when a browser's Origin is not allowed; empty to let it in. */
    Optional<String> refuseOrigin(Optional<String> origin, Optional<String> host);

    /** How much longer {@code remote} is locked out after too many failed attempts. */
    Optional<Duration> lockedOut(InetSocketAddress remote, Optional<String> origin);

    /** Checks the credentials of one connect request and records the outcome for the lockout. */
    Outcome authenticate(
            InetSocketAddress remote, Optional<String> origin, Optional<String> token, Optional<String> password);

    /**
     * @param ok whether the credentials were accepted
     * @param failureCode for {@code error.details.code}, e.g. {@code AUTH_TOKEN_MISMATCH}
     * @param message one line naming the credential source the gateway expected; never a secret
     */
    record Outcome(boolean ok, String failureCode, String message) {
        public static Outcome accepted() {
            return new Outcome(true, "", "ok");
        }
    }
}
