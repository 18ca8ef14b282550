package dev.switchboard.core.auth;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.config.GatewayConfig;
import dev.switchboard.spi.Secret;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@code POST /hooks/agent} has a credential of its own (SPEC §5.2): with {@code
 * gateway.hooks.enabled} there must be a {@code gateway.hooks.token}, and it must not be the gateway's
 * own credential (a hook caller would then drive the control protocol). The one place the rule is
 * written: {@code gateway run} and a reload refuse with it, {@code config validate} reports it.
 */
public final class HookTokenRule {
    public static final String ENABLED_KEY = "gateway.hooks.enabled";
    public static final String TOKEN_KEY = "gateway.hooks.token";
    /** What is wrong with {@value #ENABLED_KEY} when there is no token. */
    public static final String MISSING = "is true but gateway.hooks.token is not set"
            + " (expected: a secret of its own that hook callers send as Authorization: Bearer)";
    /** What is wrong with {@value #TOKEN_KEY} when it is the gateway's own credential. */
    public static final String SAME_AS_GATEWAY = "is the gateway's own credential"
            + " (expected: a token of its own, so a hook caller cannot use the control protocol)";

    private HookTokenRule() {}

    /**
     * Why the hook settings cannot run; empty when they can (or hooks are off).
     *
     * @param token the resolved {@code gateway.hooks.token}; empty when unset or unresolved
     * @param failure why it did not resolve, when it is set and did not
     * @param gatewayAccepts whether the gateway's own credential accepts a value (false in auth mode
     *     {@code none})
     */
    public static Optional<String> refusal(
            GatewayConfig.Hooks hooks,
            Optional<Secret> token,
            Optional<String> failure,
            Predicate<String> gatewayAccepts) {
        requireNonNull(hooks, "hooks is null");
        requireNonNull(token, "token is null");
        requireNonNull(failure, "failure is null");
        requireNonNull(gatewayAccepts, "gatewayAccepts is null");
        if (!hooks.enabled()) {
            return Optional.empty();
        }
        if (hooks.token().isEmpty()) {
            return Optional.of(ENABLED_KEY + " " + MISSING);
        }
        if (token.isEmpty()) {
            return Optional.of(TOKEN_KEY + ": " + failure.orElse("did not resolve")
                    + " (POST /hooks/agent cannot authenticate anyone without it)");
        }
        if (gatewayAccepts.test(token.get().reveal())) {
            return Optional.of(TOKEN_KEY + " " + SAME_AS_GATEWAY);
        }
        return Optional.empty();
    }

    /** Whether {@code auth} accepts {@code value} as the gateway's own token or password. */
    public static boolean gatewayAccepts(GatewayAuth auth, String value) {
        return auth.mode() != GatewayConfig.AuthMode.NONE
                && auth.check(Optional.of(value), Optional.of(value), Optional.empty())
                        .ok();
    }
}
