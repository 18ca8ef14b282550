package dev.switchboard.core.secrets;

import static java.util.Objects.requireNonNull;

import dev.switchboard.core.SwitchboardException;
import dev.switchboard.core.config.SecretRef;

/**
 * A secret could not be resolved. The message names the source ({@link SecretRef#describe()}) and the
 * reason, never the value nor anything a command printed.
 */
public class SecretResolutionException extends SwitchboardException {
    private final String reason;

    /** {@code env SWITCHBOARD_GATEWAY_TOKEN is not set}. */
    public SecretResolutionException(SecretRef ref, String reason) {
        super(
                Kind.CONFIG,
                requireNonNull(ref, "ref is null").describe() + " " + requireNonNull(reason, "reason is null"));
        this.reason = reason;
    }

    /** A message already made of secret-free parts, e.g. several failures joined. */
    public SecretResolutionException(String message) {
        super(Kind.CONFIG, message);
        this.reason = message;
    }

    /** Why it failed, without the source: {@code is not set}. */
    public String reason() {
        return reason;
    }
}
