package dev.switchboard.core.auth.internal;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.auth.GatewayAuth;
import java.util.Locale;
import java.util.Optional;

/**
 * What {@link GatewayAuth#check} decided about one set of credentials. Never holds a secret value.
 *
 * @param ok whether the client is authenticated
 * @param method how it authenticated, or on failure what the gateway expected ({@link Method#TOKEN}
 *     or {@link Method#PASSWORD})
 * @param failure why not, for {@code error.details.code}; empty when {@code ok}
 * @param message one line for the operator: on failure it names what the gateway expected and where
 *     that credential comes from; on success how the client authenticated
 */
public record AuthDecision(boolean ok, Method method, Optional<Failure> failure, String message) {
    public AuthDecision {
        requireNonNull(method, "method is null");
        requireNonNull(failure, "failure is null");
        requireNonNull(message, "message is null");
        if (ok == failure.isPresent()) {
            throw new IllegalArgumentException("a decision has a failure exactly when it is not ok");
        }
    }

    public static AuthDecision accepted(Method method, String message) {
        return new AuthDecision(true, method, Optional.empty(), message);
    }

    public static AuthDecision refused(Method expected, Failure failure, String message) {
        return new AuthDecision(false, expected, Optional.of(failure), message);
    }

    /** How a client authenticated. */
    public enum Method {
        /** The gateway's token ({@code gateway.auth.mode = "token"}). */
        TOKEN,
        /** The gateway's password ({@code gateway.auth.mode = "password"}). */
        PASSWORD,
        /** The per-start {@code control.token} local CLIs read; accepted in every mode. */
        CONTROL_TOKEN,
        /** {@code gateway.auth.mode = "none"}: no credential needed. */
        NONE;

        /** As written on the wire and in logs: {@code token}, {@code control-token}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** Why credentials were refused; the name is the code clients see in {@code error.details.code}. */
    public enum Failure {
        AUTH_TOKEN_MISSING,
        AUTH_TOKEN_MISMATCH,
        AUTH_PASSWORD_MISSING,
        AUTH_PASSWORD_MISMATCH;

        public String code() {
            return name();
        }
    }
}
